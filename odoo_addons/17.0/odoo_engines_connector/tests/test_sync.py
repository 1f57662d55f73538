import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.engines import EngineError
from .test_extract import pdf

CALL = "odoo.addons.odoo_engines_connector.models.sync.call"


@tagged("post_install", "-at_install")
class TestSync(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("fastapi.url", "https://engines.example.com")
        params.set_param("fastapi.internal_key", "k" * 32)
        cls.chatbot = cls.env["chatbot.chatbot"].create({"name": "Support"})

    def document(self, **values):
        return self.env["chatbot.document"].create(
            {"name": "Manual", "chatbot_id": self.chatbot.id, "content": "Some text", **values})

    def run_job(self):
        self.env["chatbot.chatbot"]._cron_sync_sources()

    def test_a_save_only_queues_the_document(self):
        with patch(CALL) as call:
            document = self.document()
            self.assertEqual(document.vector_sync_status, "pending")
            call.assert_not_called()  # nothing is sent inside the user's save

    def test_the_job_sends_it_and_records_the_outcome(self):
        document = self.document()
        with patch(CALL, return_value={"embeddings_count": 3}) as call:
            self.run_job()
        method, path = call.call_args.args[1:3]
        self.assertEqual((method, path), ("POST", f"/api/internal/document/{document.id}/embed"))
        body = call.call_args.args[5]
        self.assertEqual((body["chatbot_id"], body["content"]), (self.chatbot.id, "Some text"))
        self.assertEqual(document.vector_sync_status, "synced")
        self.assertTrue(document.processed and document.last_synced_at)
        self.assertEqual(document.chunk_count, 3)

    def test_only_a_change_of_text_or_file_sends_again(self):
        document = self.document()
        with patch(CALL, return_value={"embeddings_count": 1}):
            self.run_job()
        document.write({"content": "Some text"})
        self.assertEqual(document.vector_sync_status, "synced")
        document.write({"content": "Other text"})
        self.assertEqual(document.vector_sync_status, "pending")

    @mute_logger("odoo.addons.odoo_engines_connector.models.sync")
    def test_failures_back_off_then_show_the_error_until_retried(self):
        document = self.document()
        with patch(CALL, side_effect=EngineError("embed: HTTP 503: down")):
            self.run_job()
            self.assertEqual((document.vector_sync_status, document.sync_attempts), ("pending", 1))
            waited = (document.sync_next_at - fields.Datetime.now()).total_seconds()
            self.assertTrue(3 <= waited <= 6, waited)  # the first of 5, 10, 20 s
            for _attempt in range(3):
                document.sync_next_at = fields.Datetime.now() - timedelta(seconds=1)
                self.run_job()
        self.assertEqual(document.vector_sync_status, "error")
        self.assertIn("HTTP 503", document.sync_error)
        document.action_retry_sync()
        self.assertEqual((document.vector_sync_status, document.sync_attempts), ("pending", 0))
        with patch(CALL, return_value={"embeddings_count": 2}):
            self.run_job()
        self.assertEqual(document.vector_sync_status, "synced")
        self.assertFalse(document.sync_error)

    def test_an_uploaded_pdf_is_read_and_a_scanned_one_is_marked(self):
        found = self.env["chatbot.document"].create({
            "name": "Terms", "chatbot_id": self.chatbot.id, "file_name": "terms.pdf",
            "datas": base64.b64encode(pdf("Returns within 30 days")),
        })
        self.assertEqual((found.file_type, found.file_size > 0), ("pdf", True))
        self.assertIn("Returns within 30 days", found.content)
        scanned = self.env["chatbot.document"].create({
            "name": "Scan", "chatbot_id": self.chatbot.id, "file_name": "scan.pdf",
            "datas": base64.b64encode(pdf()),
        })
        with patch(CALL, return_value={"embeddings_count": 1}) as call:
            self.run_job()
        self.assertEqual(call.call_count, 1)  # the scan had nothing to send
        self.assertEqual((scanned.vector_sync_status, scanned.chunk_count), ("synced", 0))
        self.assertTrue(scanned.sync_note)
