"""The products engine's triggers: the `product-sync` function's Pub/Sub message, the
CLI's `sync products` and `check`, and the seed's `ProductsSyncEngine` for scripts.

The only place that reads settings and opens what a sync needs (database, Odoo client
with its saved session, embedder, publisher); `run.run_sync` does the work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..core.checks import Check, database_probe, require_ok, run_checks
from ..core.db import connect
from ..core.errors import EngineError
from ..core.logging import get_logger
from ..core.publish import PRODUCT_SYNC, Publisher, get_publisher
from ..core.runs import CONTINUATION, publish_continuation
from ..core.settings import Settings, load_settings, message_env
from ..core.triggers import PubSubMessage
from ..embeddings import embedding_probe, get_embedder
from ..odoo import OdooClient, odoo_probe
from .run import SyncResult, run_sync
from .sessions import connect_with_session, forget_session, save_session
from .settings import load_product_settings

log = get_logger("product_sync")
# What continuations published before `continuation` was every engine's field said.
_OLD_CONTINUATION = "resume"


def handle_product_sync(message: PubSubMessage) -> None:
    """Modes come from the environment or the message (`{"force_full_sync": true}`)."""
    settings = load_settings(message_env(message.data))
    if settings.test_connections_only:
        require_ok(check_products(settings))  # a failure is logged and acknowledged
        log.info("connections_ok")
        return
    continuation = bool(message.field(CONTINUATION, bool) or message.field(_OLD_CONTINUATION, bool))
    sync_products(settings, continuation=continuation)


def sync_products(
    settings: Settings,
    *,
    full: bool | None = None,
    continuation: bool = False,
    publisher: Publisher | None = None,
) -> SyncResult:
    """Sync the catalogue once (FORCE_FULL_SYNC unless `full` says otherwise); a run that
    ran out of time publishes its continuation."""
    db = connect(settings)
    odoo: OdooClient | None = None
    try:
        odoo = connect_with_session(db, settings.odoo)
        try:
            result = run_sync(
                db, odoo, get_embedder(settings), load_product_settings(settings, full),
                continuation=continuation,
            )  # fmt: skip
        except Exception:
            forget_session(db, settings.odoo)
            raise
        if not result.skipped:
            save_session(db, settings.odoo, odoo)
    finally:
        if odoo is not None:
            odoo.close()
        db.close()
    if result.continued:  # after the run's lock is released, so it is never skipped for it
        publisher = publisher or get_publisher(settings.gcp_project, settings.environment)
        publish_continuation(publisher, PRODUCT_SYNC, {})
    return result


def check_products(settings: Settings) -> list[Check]:
    """TEST_CONNECTIONS_ONLY: the database, Odoo and the embedding provider; logs each."""
    return run_checks({
        "database": database_probe(settings.database),
        "odoo": odoo_probe(settings.odoo),
        "embeddings": embedding_probe(settings),
    })  # fmt: skip


class ProductsSyncEngine:
    """The seed's Python entry point, for scripts that called it:

        from odoo_engines.products import ProductsSyncEngine
        results = ProductsSyncEngine(use_test_odoo=False).run_sync()
        if results["success"]: print(results["products_processed"])
        else: print(results["error"])

    Settings from the environment, as the seed read them, and the seed's result dict.
    """

    def __init__(
        self,
        use_test_odoo: bool | None = None,
        force_full_sync: bool | None = None,
        env: Mapping[str, str] | None = None,
    ):
        variables = dict(os.environ if env is None else env)
        if use_test_odoo is not None:  # the argument wins over USE_TEST_ODOO, as in the seed
            variables["USE_TEST_ODOO"] = str(use_test_odoo).lower()
        self.settings = load_settings(variables)
        self.force_full_sync = force_full_sync

    def run_sync(self) -> dict[str, Any]:
        """One sync; failures come back as `{"success": False, "error": …}`, as in the seed."""
        try:
            return sync_products(self.settings, full=self.force_full_sync).as_dict()
        except EngineError as exc:
            return SyncResult(error=str(exc)).as_dict()
