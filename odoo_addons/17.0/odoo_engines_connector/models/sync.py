"""The sync status every chatbot source carries, and the queued job that sends them.

A save only marks the record `pending` and wakes the job (`ir.cron._trigger`), so the
user's save never waits on the engine and a restart loses nothing: the job picks up
whatever is pending when it next runs. A failed send is retried after the configured
delays (the seed's 5, 10, 20 s), then the record shows `error` with the message, until
"Retry sync".
"""

import hashlib
import logging
import threading
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.modules import module as odoo_module

from .engines import EngineError, call, retry_delays

_logger = logging.getLogger(__name__)

STATUSES = [("pending", "Pending"), ("syncing", "Syncing"), ("synced", "Synced"),
            ("error", "Error")]  # fmt: skip
CRON_XMLID = "odoo_engines_connector.cron_sync_sources"
BATCH = 20  # records per job run before it re-triggers itself
JOB_SECONDS = 120  # a job run stops taking records after this long


def _commit(env):
    """Commit in the job; not inside Odoo's own tests, which roll back instead."""
    testing = odoo_module.current_test or getattr(threading.current_thread(), "testing", False)
    if not testing:
        env.cr.commit()


class SyncedSource(models.AbstractModel):
    _name = "odoo_engines.synced.source"
    _description = "A chatbot source kept in sync with the knowledge engine"

    _source_type = None  # "document" or "link"

    chatbot_id = fields.Many2one("chatbot.chatbot", required=True, ondelete="cascade",
                                 index=True)  # fmt: skip
    content = fields.Text(help="The text sent to the knowledge engine.")
    vector_sync_status = fields.Selection(STATUSES, string="Sync status", default="pending",
                                          required=True, readonly=True, index=True, copy=False)  # fmt: skip
    processed = fields.Boolean(readonly=True, copy=False,
                               help="The engine has chunks of this source.")  # fmt: skip
    sync_error = fields.Text(string="Last error", readonly=True, copy=False)
    last_synced_at = fields.Datetime(readonly=True, copy=False)
    chunk_count = fields.Integer(string="Chunks", readonly=True, copy=False)
    sync_note = fields.Char(readonly=True, copy=False,
                            help="Why a synced source has no chunks (e.g. no text found).")  # fmt: skip
    sync_attempts = fields.Integer(readonly=True, copy=False)
    sync_next_at = fields.Datetime(readonly=True, copy=False)
    content_hash = fields.Char(readonly=True, copy=False,
                               help="Hash of what was last sent: only a change re-sends.")  # fmt: skip

    # -- what is sent -----------------------------------------------------------------
    def _payload(self):
        raise NotImplementedError

    def _hash(self):
        self.ensure_one()
        basis = f"{self.chatbot_id.id}\x00{self.content or ''}\x00{self._payload_key()}"
        return hashlib.sha256(basis.encode()).hexdigest()

    def _payload_key(self):
        return ""

    # -- marking ----------------------------------------------------------------------
    def _mark_pending(self, force=False):
        """Queue the records whose text changed since their last send (all when `force`)."""
        todo = self if force else self.filtered(lambda r: r._hash() != r.content_hash)
        if todo:
            todo.with_context(odoo_engines_sync=True).write({
                "vector_sync_status": "pending", "sync_attempts": 0,
                "sync_next_at": fields.Datetime.now(), "sync_error": False,
            })  # fmt: skip
            self._wake()
        return todo

    @api.model
    def _wake(self, at=None):
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    def action_retry_sync(self):
        """The "Retry sync" button: send again now, whatever the last outcome."""
        self._mark_pending(force=True)
        return True

    # -- sending ----------------------------------------------------------------------
    def _send(self):
        """Send one record; its new status (raises EngineError on failure)."""
        self.ensure_one()
        kind = self._source_type
        if not (self.content or "").strip():
            # Nothing to embed (a scanned PDF): remove what the engine had, keep the record.
            if self.processed:
                call(self.env, "DELETE", f"/api/internal/chatbot/{self.chatbot_id.id}/source/"
                     f"{kind}/{self.id}", "remove old chunks", 30)  # fmt: skip
            return {"chunk_count": 0, "processed": False,
                    "sync_note": _("No text found in this source: nothing to search.")}  # fmt: skip
        answer = call(self.env, "POST", f"/api/internal/{kind}/{self.id}/embed",
                      f"embed {kind} {self.id}", 300, self._payload())  # fmt: skip
        return {"chunk_count": int(answer.get("embeddings_count") or 0), "processed": True,
                "sync_note": "; ".join(answer.get("warnings") or []) or False}  # fmt: skip

    def _sync_one(self):
        self.ensure_one()
        self.with_context(odoo_engines_sync=True).write({"vector_sync_status": "syncing"})
        _commit(self.env)  # others see "syncing" while the engine works
        try:
            outcome = self._send()
        except EngineError as exc:
            self._failed(str(exc))
            return False
        self.with_context(odoo_engines_sync=True).write({
            **outcome, "vector_sync_status": "synced", "sync_error": False, "sync_attempts": 0,
            "sync_next_at": False, "last_synced_at": fields.Datetime.now(),
            "content_hash": self._hash(),  # what was sent (a link's text is scraped in _send)
        })  # fmt: skip
        return True

    def _failed(self, message):
        delays = retry_delays(self.env)
        attempts = self.sync_attempts + 1
        values = {"sync_attempts": attempts, "sync_error": message}
        if attempts <= len(delays):
            values.update(vector_sync_status="pending",
                          sync_next_at=fields.Datetime.now() + timedelta(seconds=delays[attempts - 1]))  # fmt: skip
            self._wake(values["sync_next_at"])
        else:
            values.update(vector_sync_status="error", sync_next_at=False)
        _logger.warning("odoo_engines: %s %s failed (attempt %s): %s",
                        self._source_type, self.id, attempts, message)  # fmt: skip
        self.with_context(odoo_engines_sync=True).write(values)

    @api.model
    def _due(self, limit):
        return self.search([("vector_sync_status", "in", ("pending", "syncing")),
                            ("sync_next_at", "<=", fields.Datetime.now())],
                           order="sync_next_at, id", limit=limit)  # fmt: skip

    @api.model
    def _process_due(self, deadline):
        """Send due records until `deadline` or BATCH; True when some are left."""
        for record in self._due(BATCH):
            if time.monotonic() > deadline:
                return True
            record._sync_one()
            _commit(self.env)  # each record's outcome stands on its own
        return bool(self._due(1))
