"""The addon in real Odoo: installed with its own tests, then used through RPC as a
person would, with the knowledge and orders functions answering on 127.0.0.1."""

from __future__ import annotations

import base64
import re
import time

from odoo_engines.core.publish import POLL_TENANT, local_publisher
from odoo_engines.orders.run import poll_tenant
from odoo_engines.orders.signing import poll_token
from orders.conftest import SECRET

STATUS = ["vector_sync_status", "processed", "chunk_count", "sync_error", "sync_note"]


def pdf(text: str | None) -> bytes:
    """A one-page PDF with `text` in Helvetica, or with no text layer (a scan)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def chunks(db, source_type: str, source_id: int) -> list[str]:
    return [r[0] for r in db.fetchall(
        "SELECT content FROM chunk_embeddings WHERE source_type = %s AND source_id = %s"
        " ORDER BY chunk_index", (source_type, source_id))]  # fmt: skip


def test_the_addon_installs_cleanly_and_its_own_tests_pass(connector):
    log = connector.install_log
    assert re.search(r"0 failed, 0 error\(s\) of \d+ tests", log), log[-3000:]
    ours = [
        line
        for line in log.splitlines()
        if re.search(r" (WARNING|ERROR|CRITICAL) ", line) and "odoo_engines_connector" in line
    ]
    assert ours == []


def test_documents_links_and_deletions_reach_the_engine(connector, knowledge, db):
    shop = connector.shop
    chatbot = shop.execute("chatbot.chatbot", "create", {"name": "Soporte"})
    typed = shop.execute("chatbot.document", "create", {
        "name": "Políticas", "chatbot_id": chatbot,
        "content": "Las devoluciones se aceptan dentro de 30 días con la boleta.",
    })  # fmt: skip
    uploaded = shop.execute("chatbot.document", "create", {
        "name": "Garantia", "chatbot_id": chatbot, "file_name": "garantia.pdf",
        "datas": base64.b64encode(pdf("Warranty of two years on every chair")).decode(),
    })  # fmt: skip
    scanned = shop.execute("chatbot.document", "create", {
        "name": "Escaneo", "chatbot_id": chatbot, "file_name": "scan.pdf",
        "datas": base64.b64encode(pdf(None)).decode(),
    })  # fmt: skip
    link = shop.execute("chatbot.link", "create", {
        "url": "https://example.com/envios", "title": "Envíos", "chatbot_id": chatbot,
        "content": "Despachamos a todo Chile en 48 horas hábiles.",
    })  # fmt: skip
    pending = connector.read("chatbot.document", [typed], ["vector_sync_status"])
    assert pending[0]["vector_sync_status"] == "pending"  # nothing sent inside the save
    assert chunks(db, "document", typed) == []
    connector.run_queue()
    docs = {d["id"]: d for d in connector.read("chatbot.document", [typed, uploaded, scanned],
                                               [*STATUS, "file_type", "content"])}  # fmt: skip
    assert docs[typed]["vector_sync_status"] == "synced" and docs[typed]["processed"]
    assert docs[typed]["chunk_count"] == len(chunks(db, "document", typed)) >= 1
    assert "30 días" in chunks(db, "document", typed)[0]
    assert docs[uploaded]["file_type"] == "pdf"
    assert "Warranty of two years" in " ".join(chunks(db, "document", uploaded))
    assert docs[scanned]["vector_sync_status"] == "synced"  # stored and marked, no error
    assert docs[scanned]["chunk_count"] == 0 and docs[scanned]["sync_note"]
    assert chunks(db, "link", link) and "48 horas" in chunks(db, "link", link)[0]

    shop.execute("chatbot.document", "write", [typed],
                 {"content": "Las devoluciones se aceptan dentro de 60 días."})  # fmt: skip
    connector.run_queue()
    assert "60 días" in chunks(db, "document", typed)[0]
    shop.execute("chatbot.document", "unlink", [typed])  # after commit, its chunks go
    assert _eventually(lambda: chunks(db, "document", typed) == [])
    assert chunks(db, "document", uploaded)
    shop.execute("chatbot.chatbot", "unlink", [chatbot])  # the cleanup route
    assert _eventually(lambda: db.fetchval(
        "SELECT count(*) FROM chunk_embeddings WHERE chatbot_id = %s", (chatbot,)) == 0)


def test_the_provider_down_ends_in_error_and_retry_sync_recovers(connector, knowledge, db,
                                                                  local_openai):  # fmt: skip
    shop = connector.shop
    chatbot = shop.execute("chatbot.chatbot", "create", {"name": "Ventas"})
    values = {"name": "Precios", "chatbot_id": chatbot, "content": "Lista de precios"}
    doc = shop.execute("chatbot.document", "create", values)
    local_openai.fail_next(100, status=503)
    connector.run_queue(times=2)  # the first try and its one retry
    (failed,) = connector.read("chatbot.document", [doc], STATUS)
    assert failed["vector_sync_status"] == "error" and "503" in failed["sync_error"]
    local_openai.reset()
    shop.execute("chatbot.document", "action_retry_sync", [doc])
    connector.run_queue()
    (synced,) = connector.read("chatbot.document", [doc], STATUS)
    assert synced["vector_sync_status"] == "synced" and not synced["sync_error"]
    assert chunks(db, "document", doc)


def test_sync_all_sends_fifty_documents_in_batches(connector, knowledge, db):
    shop = connector.shop
    chatbot = shop.execute("chatbot.chatbot", "create", {"name": "Catálogo"})
    ids = shop.execute("chatbot.document", "create", [
        {"name": f"Ficha {n}", "chatbot_id": chatbot, "content": f"Producto número {n}"}
        for n in range(50)
    ])  # fmt: skip
    connector.run_queue(times=3)  # 20 per run
    db.execute("DELETE FROM chunk_embeddings WHERE chatbot_id = %s", (chatbot,))
    shop.execute("chatbot.chatbot", "action_sync_all", [chatbot])
    statuses = {d["vector_sync_status"] for d in connector.read("chatbot.document", ids, STATUS)}
    assert statuses == {"pending"}
    connector.run_queue(times=3)
    statuses = {d["vector_sync_status"] for d in connector.read("chatbot.document", ids, STATUS)}
    assert statuses == {"synced"}
    assert db.fetchval("SELECT count(DISTINCT source_id) FROM chunk_embeddings"
                       " WHERE chatbot_id = %s", (chatbot,)) == 50  # fmt: skip


def test_a_confirmed_order_is_pushed_and_the_next_poll_sends_nothing_more(
        connector, serve_function, orders_env, orders_settings, admin, store, db, webhook_sink):
    orders_api = serve_function("orders-api", "orders_api", orders_env)
    tenant = admin.add({
        "name": f"Odoo {connector.series}", "odoo_url": connector.url, "odoo_db": connector.db,
        "odoo_username": "admin", "store_id": "s1", "client_id": "c1",
        "webhook_url": webhook_sink.url + "/api/webhooks/odoo",
    }, connector.admin_key, SECRET)  # fmt: skip
    poll_tenant(db, orders_settings, tenant.id, store)  # the orders already there
    webhook_sink.reset()
    connector.param("odoo_engines.orders_url", orders_api)
    connector.param("odoo_engines.tenant_id", tenant.id)
    connector.param("odoo_engines.tenant_token", poll_token(SECRET, tenant.id))
    publisher = local_publisher()
    publisher.queue.clear()
    shop = connector.shop
    product = shop.product("Pushed chair", "PUSH-1", price=80.0)
    order = shop.order(shop.customer("Pushed customer", email="push@example.com"),
                       [(product, 2)])  # fmt: skip
    message = _eventually(lambda: publisher.pop(), timeout=10)  # the push reached orders-api
    assert message.topic == POLL_TENANT and message.attributes["connection_id"] == tenant.id
    result = poll_tenant(db, orders_settings, message.attributes["connection_id"], store)
    assert result.sent == 1
    (delivery,) = webhook_sink.deliveries
    assert delivery.verify(SECRET)["order"]["platform_order_id"] == str(order)
    again = poll_tenant(db, orders_settings, tenant.id, store)  # the scheduled poll
    assert again.sent == 0 and len(webhook_sink.deliveries) == 1


def _eventually(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
