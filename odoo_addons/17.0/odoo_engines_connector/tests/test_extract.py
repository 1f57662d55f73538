import io
import zipfile

from reportlab.pdfgen import canvas

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models import extract


def pdf(text=None):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if text:
        page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestExtract(TransactionCase):
    def test_each_file_type_gives_its_text(self):
        self.assertEqual(extract.file_type("a.pdf", pdf("Hola")), "pdf")
        self.assertIn("Garantía de dos años", extract.file_text("pdf", pdf("Garantía de dos años")))
        self.assertEqual(extract.file_type("manual.docx", docx(["x"])), "docx")
        self.assertEqual(extract.file_text("docx", docx(["Uno", "Dos"])), "Uno\nDos")
        self.assertEqual(extract.file_type("faq.html", b"<html><p>x</p></html>"), "html")
        self.assertIn("Envío gratis", extract.file_text(
            "html", "<html><body><p>Envío gratis</p></body></html>".encode()))
        self.assertEqual(extract.file_text("txt", "Ñandú\n".encode()), "Ñandú")
        self.assertEqual(extract.file_text("txt", "café".encode("cp1252")), "café")

    @mute_logger("odoo.addons.odoo_engines_connector.models.extract")
    def test_a_file_without_text_gives_nothing_not_an_error(self):
        self.assertEqual(extract.file_text("pdf", pdf()), "")  # a scanned page: no text layer
        self.assertEqual(extract.file_text("pdf", b"%PDF-1.4 broken"), "")
        self.assertEqual(extract.file_text("other", b"\x00\x01"), "")

    def test_links_to_private_or_odd_addresses_are_refused(self):
        for url in ("http://127.0.0.1/x", "http://10.0.0.8/", "http://169.254.169.254/latest",
                    "ftp://example.com/", "file:///etc/passwd", "http:///nohost"):
            with self.assertRaises(extract.ScrapeError, msg=url):
                extract.check_public_url(url)
