"""Text out of uploaded files and web pages: pure functions, no Odoo records.

PDF through Odoo's own PDF reader (PyPDF2 on 17/18, pypdf on 19), DOCX as the zip of
XML it is, HTML through Odoo's html2plaintext, text by its encoding. A file with no
text (a scanned PDF) gives "", never an exception.
"""

import io
import ipaddress
import logging
import socket
import zipfile
from urllib.parse import urlsplit

import requests
from lxml import etree

from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)

FILE_TYPES = [("pdf", "PDF"), ("docx", "Word (DOCX)"), ("txt", "Text"), ("html", "HTML"),
              ("other", "Other")]  # fmt: skip
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCRAPE_TIMEOUT = 15  # seconds
SCRAPE_MAX_BYTES = 2 * 1024 * 1024


class ScrapeError(Exception):
    """A link that cannot be fetched; the message is shown on the record."""


def file_type(name, data):
    """pdf, docx, txt, html or other, from the content first, then the file name."""
    head = data[:8] if data else b""
    lower = (name or "").lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK") and (lower.endswith(".docx") or b"word/" in data[:4096]):
        return "docx"
    if lower.endswith((".html", ".htm")) or head.lstrip().lower().startswith((b"<!doc", b"<html")):
        return "html"
    if lower.endswith((".txt", ".md", ".csv")) or _is_text(data):
        return "txt"
    return "other"


def _is_text(data):
    try:
        (data or b"")[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def pdf_text(data):
    from odoo.tools.pdf import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    pages = getattr(reader, "pages", None)
    if pages is None:  # PyPDF2 1.x
        pages = [reader.getPage(n) for n in range(reader.getNumPages())]
    texts = []
    for page in pages:
        extract = getattr(page, "extract_text", None) or page.extractText
        texts.append(extract() or "")
    return "\n".join(texts)


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    root = etree.fromstring(xml)  # noqa: S320 - a user's own upload, no entities resolved
    paragraphs = []
    for paragraph in root.iter(f"{WORD_NS}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{WORD_NS}t")))
    return "\n".join(paragraphs)


def file_text(kind, data):
    """The text of an uploaded file of `kind` ("" when it has none or cannot be read)."""
    if not data:
        return ""
    try:
        if kind == "pdf":
            text = pdf_text(data)
        elif kind == "docx":
            text = docx_text(data)
        elif kind == "html":
            text = html2plaintext(decode(data))
        elif kind == "txt":
            text = decode(data)
        else:
            return ""
    except Exception as exc:  # a damaged file is a file without text, said on the record
        _logger.warning("odoo_engines: cannot read a %s file: %s", kind, exc)
        return ""
    return "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()


def check_public_url(url):
    """Refuse anything but http(s) to a public address (no loopback, private, link-local)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScrapeError("only http:// and https:// links can be read")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise ScrapeError(f"the host {parts.hostname} cannot be resolved") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise ScrapeError(f"the address {address} of {parts.hostname} is not public")
    return url


def scrape(url):
    """(title, text) of a public web page, within a timeout and a size cap."""
    check_public_url(url)
    try:
        with requests.get(url, timeout=SCRAPE_TIMEOUT, stream=True, allow_redirects=False,
                          headers={"User-Agent": "odoo-engines-connector"}) as response:  # fmt: skip
            if response.is_redirect:
                raise ScrapeError(f"the page redirects to {response.headers.get('Location')}")
            response.raise_for_status()
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > SCRAPE_MAX_BYTES:
                    raise ScrapeError(f"the page is larger than {SCRAPE_MAX_BYTES} bytes")
    except requests.RequestException as exc:
        raise ScrapeError(f"the page could not be read: {exc}") from exc
    html = decode(body)
    title = ""
    try:
        found = etree.HTML(body).find(".//title")  # noqa: S320 - parsed, never resolved
        title = (found.text or "").strip() if found is not None else ""
    except (etree.LxmlError, ValueError):
        pass
    return title, html2plaintext(html)
