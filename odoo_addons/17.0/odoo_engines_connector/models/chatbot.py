"""Chatbots, their documents and their links, as in the seed's module."""

import base64
import logging
import time

from odoo import _, api, fields, models

from . import extract
from .engines import CLEANUP_TIMEOUT, DELETE_TIMEOUT, EngineError, after_commit, delete_remote
from .engines import knowledge as knowledge_settings
from .sync import JOB_SECONDS

_logger = logging.getLogger(__name__)

SYNC_FIELDS = {"vector_sync_status", "processed", "sync_error", "last_synced_at",
               "chunk_count", "sync_note", "sync_attempts", "sync_next_at", "content_hash"}  # fmt: skip


class Chatbot(models.Model):
    _name = "chatbot.chatbot"
    _description = "Chatbot"
    _order = "name, id"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    document_ids = fields.One2many("chatbot.document", "chatbot_id", string="Documents")
    link_ids = fields.One2many("chatbot.link", "chatbot_id", string="Links")
    document_count = fields.Integer(compute="_compute_counts")
    link_count = fields.Integer(compute="_compute_counts")

    @api.depends("document_ids", "link_ids")
    def _compute_counts(self):
        for chatbot in self:
            chatbot.document_count = len(chatbot.document_ids)
            chatbot.link_count = len(chatbot.link_ids)

    def unlink(self):
        """Remove the chatbot's chunks from the engine once the deletion is committed."""
        try:
            url, key = knowledge_settings(self.env)
        except EngineError:
            url = None
        if url:
            for chatbot in self:
                after_commit(self.env, delete_remote, url, key,
                             f"/api/internal/chatbot/{chatbot.id}/cleanup", CLEANUP_TIMEOUT,
                             f"cleanup of chatbot {chatbot.id}")  # fmt: skip
        return super().unlink()

    def action_sync_all(self):
        """Send every document and link of these chatbots again, in batches by the job."""
        chatbots = self or self.search([])
        count = 0
        for model in ("chatbot.document", "chatbot.link"):
            sources = self.env[model].search([("chatbot_id", "in", chatbots.ids)])
            sources._mark_pending(force=True)
            count += len(sources)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"title": _("Sync all"), "type": "info", "sticky": False,
                       "message": _("%s sources queued; they are sent in the background.",
                                    count)},
        }  # fmt: skip

    @api.model
    def _cron_sync_sources(self):
        """The queued job: send what is due, documents first; wake again if work is left."""
        deadline = time.monotonic() + JOB_SECONDS
        left = False
        for model in ("chatbot.document", "chatbot.link"):
            left = self.env[model]._process_due(deadline) or left
        if left:
            self.env["chatbot.document"]._wake()


class SourceMixin(models.AbstractModel):
    """What documents and links share: deletion from the engine, marking on change."""

    _name = "odoo_engines.chatbot.source"
    _inherit = "odoo_engines.synced.source"
    _description = "Chatbot source"

    def _before_write(self, vals):
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create([self._before_write(dict(v)) for v in vals_list])
        records._mark_pending(force=True)
        return records

    def write(self, vals):
        if self.env.context.get("odoo_engines_sync") or not (set(vals) - SYNC_FIELDS):
            return super().write(vals)
        result = super().write(self._before_write(dict(vals)))
        self._mark_pending()  # only records whose text changed are sent again
        return result

    def unlink(self):
        """Remove the chunks of processed records once the deletion is committed."""
        processed = self.filtered("processed")
        if processed:
            try:
                url, key = knowledge_settings(self.env)
            except EngineError:
                url = None
            for record in processed if url else ():
                after_commit(self.env, delete_remote, url, key,
                             f"/api/internal/chatbot/{record.chatbot_id.id}/source/"
                             f"{record._source_type}/{record.id}", DELETE_TIMEOUT,
                             f"delete of {record._source_type} {record.id}")  # fmt: skip
        return super().unlink()


class ChatbotDocument(models.Model):
    _name = "chatbot.document"
    _inherit = "odoo_engines.chatbot.source"
    _description = "Chatbot document"
    _order = "uploaded_at desc, id desc"
    _source_type = "document"

    name = fields.Char(required=True)
    datas = fields.Binary(string="File", attachment=True)
    file_name = fields.Char()
    file_type = fields.Selection(extract.FILE_TYPES, readonly=True)
    file_size = fields.Integer(readonly=True, help="Bytes")
    uploaded_at = fields.Datetime(readonly=True, default=fields.Datetime.now)

    def _before_write(self, vals):
        """A new file: its type, size, upload time and text (the text the user typed wins)."""
        if vals.get("datas"):
            data = base64.b64decode(vals["datas"])
            kind = extract.file_type(vals.get("file_name") or vals.get("name"), data)
            vals.update(file_type=kind, file_size=len(data), uploaded_at=fields.Datetime.now())
            if "content" not in vals:
                vals["content"] = self._indexed_text(kind, data) or extract.file_text(kind, data)
        return vals

    def _indexed_text(self, kind, data):
        """`attachment_indexation`'s text, where that module is installed (PDF, DOCX)."""
        if kind not in ("pdf", "docx"):
            return ""
        installed = self.env["ir.module.module"].sudo().search_count(
            [("name", "=", "attachment_indexation"), ("state", "=", "installed")])  # fmt: skip
        if not installed:
            return ""
        mimetype = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-"
                    "officedocument.wordprocessingml.document"}[kind]  # fmt: skip
        text = self.env["ir.attachment"]._index(data, mimetype)
        return text if isinstance(text, str) and text != mimetype.split("/")[0] else ""

    def _payload_key(self):
        return self.name or ""

    def _payload(self):
        return {
            "chatbot_id": self.chatbot_id.id,
            "content": self.content,
            "metadata": {
                "filename": self.file_name or self.name,
                "file_type": self.file_type,
                "file_size": self.file_size,
                "uploaded_at": self.uploaded_at and self.uploaded_at.isoformat(),
            },
        }


class ChatbotLink(models.Model):
    _name = "chatbot.link"
    _inherit = "odoo_engines.chatbot.source"
    _description = "Chatbot link"
    _order = "id desc"
    _source_type = "link"

    url = fields.Char(string="URL", required=True)
    title = fields.Char()
    scraped_at = fields.Datetime(readonly=True)

    def _payload_key(self):
        return f"{self.url}\x00{self.title or ''}"

    def _payload(self):
        return {
            "chatbot_id": self.chatbot_id.id,
            "url": self.url,
            "content": self.content,
            "metadata": {"title": self.title, "url": self.url,
                         "scraped_at": self.scraped_at and self.scraped_at.isoformat()},
        }  # fmt: skip

    def _send(self):
        if not (self.content or "").strip():
            try:
                title, text = extract.scrape(self.url)
            except extract.ScrapeError as exc:
                raise EngineError(str(exc)) from exc
            self.with_context(odoo_engines_sync=True).write({
                "content": text, "title": self.title or title,
                "scraped_at": fields.Datetime.now(),
            })  # fmt: skip
        return super()._send()
