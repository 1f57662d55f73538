"""The product-sync function through functions-framework, and the CLI commands."""

import base64
import json
from pathlib import Path

import functions_framework
import pytest
from click.testing import CliRunner

from odoo_engines.core.errors import PermanentError
from odoo_engines.core.logging import configure_logging
from odoo_engines.core.triggers import PubSubMessage
from odoo_engines.products.handlers import handle_product_sync
from odoo_engines_tools.cli import cli

SOURCE = str(Path(__file__).parents[2] / "functions" / "product-sync" / "main.py")


def _post(client, data):
    body = {"message": {"data": base64.b64encode(json.dumps(data).encode()).decode(),
                        "attributes": {}, "messageId": "m-1"},
            "subscription": "projects/p/subscriptions/product-sync"}  # fmt: skip
    headers = {"ce-id": "1", "ce-specversion": "1.0", "ce-source": "//pubsub.googleapis.com/"
               "projects/p/topics/product-sync",
               "ce-type": "google.cloud.pubsub.topic.v1.messagePublished"}  # fmt: skip
    return client.post("/", json=body, headers=headers)


def test_the_function_syncs_on_a_pubsub_event(product_env, monkeypatch, db):
    for key, value in product_env.items():
        monkeypatch.setenv(key, value)
    client = functions_framework.create_app("sync_products", SOURCE, "cloudevent").test_client()
    assert _post(client, {"test_connections_only": True}).status_code == 200
    assert db.fetchval("SELECT count(*) FROM products") == 0  # checks change nothing
    assert _post(client, {}).status_code == 200
    assert db.fetchval("SELECT count(*) FROM products") > 0
    assert db.fetchval("SELECT count(*) FROM runs WHERE success") == 1


def test_cli_sync_check_and_search(product_env, monkeypatch):
    for key, value in product_env.items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    check = runner.invoke(cli, ["sync", "products", "--check"])
    assert check.exit_code == 0, check.output
    assert [line.split()[0] for line in check.stdout.splitlines()] == ["ok", "ok", "ok"]
    synced = runner.invoke(cli, ["sync", "products"])
    assert synced.exit_code == 0, synced.output
    assert "products read" in synced.stdout
    found = runner.invoke(cli, ["search", "aceite de coco", "--json", "--limit", "3"])
    assert found.exit_code == 0, found.output
    assert len(json.loads(found.stdout)) == 3


def test_a_failed_connection_check_is_an_error_the_smoke_step_sees(product_env, monkeypatch):
    for key, value in {**product_env, "ODOO_PROD_URL": "http://127.0.0.1:9"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(PermanentError, match="odoo"):
        handle_product_sync(PubSubMessage({"test_connections_only": True}))


def test_a_passed_connection_check_logs_connections_ok(product_env, monkeypatch, capsys):
    for key, value in product_env.items():
        monkeypatch.setenv(key, value)
    configure_logging("INFO", "json")
    handle_product_sync(PubSubMessage({"test_connections_only": True}, message_id="m-7"))
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert {"message": "connections_ok"}.items() <= lines[-1].items()
