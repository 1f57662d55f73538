"""Helpers for talking to the sandbox Odoo over real HTTP, as a client would."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from odoo_engines_tools.sandbox.odoo import Database, DemoSpec
from odoo_engines_tools.sandbox.odoo.demo_company import populate

_numbers = itertools.count(1)


class JsonRpc:
    """Posts JSON-RPC 2.0 envelopes to one URL; returns the decoded envelope."""

    def __init__(self, url: str):
        self.url = url
        self.http = httpx.Client(timeout=10.0)

    def envelope(self, path: str, params: dict, request_id: Any = 1) -> dict:
        body = {"jsonrpc": "2.0", "method": "call", "id": request_id, "params": params}
        response = self.http.post(self.url + path, json=body)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        return response.json()

    def call(self, service: str, method: str, *args: Any) -> dict:
        return self.envelope("/jsonrpc", {"service": service, "method": method, "args": list(args)})

    def execute_kw(
        self, db: Database, model: str, method: str, args: list, kwargs=None, key=None
    ) -> dict:
        extra = [kwargs] if kwargs is not None else []
        return self.call(
            "object", "execute_kw", db.name, 2, key or db.api_key, model, method, args, *extra
        )

    def result(
        self, db: Database, model: str, method: str, args: list, kwargs: dict | None = None
    ) -> Any:
        envelope = self.execute_kw(db, model, method, args, kwargs)
        assert "error" not in envelope, envelope["error"]["data"]["message"]
        return envelope.get("result")


@pytest.fixture
def rpc(odoo_db: Database) -> JsonRpc:
    """JSON-RPC to the test's own database listener."""
    client = JsonRpc(odoo_db.url)
    yield client
    client.http.close()


@pytest.fixture
def make_db(sandbox_server) -> Callable[..., Database]:
    """Add databases of any version for one test; dropped afterwards."""
    from fixtures.odoo import SMALL

    created: list[str] = []

    def make(version: str = "17.0", spec=SMALL, seed: int = 7) -> Database:
        name = f"v{next(_numbers)}_" + re.sub(r"\W", "_", version)
        created.append(name)
        return sandbox_server.add_database(name, version=version, spec=spec, seed=seed)

    yield make
    for name in created:
        sandbox_server.drop_database(name)


TINY = DemoSpec(products=12, partners=6, months=2, orders_per_month=3)


@pytest.fixture
def orm_db() -> Callable[..., Database]:
    """A database without a server (direct ORM access), of any version, tiny demo data."""

    def make(version: str = "17.0", spec: DemoSpec = TINY) -> Database:
        db = Database(f"orm_{next(_numbers)}", version)
        populate(db, spec, seed=3)
        return db

    return make
