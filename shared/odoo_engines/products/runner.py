"""Running a product sync from settings: the one path the function and the CLI share."""

from __future__ import annotations

from ..checks import Check, check_connections
from ..config import Settings
from ..db import connect
from ..embeddings import get_embedder
from ..logging import get_logger
from ..odoo_sessions import connect_with_session, forget_session, save_session
from ..pubsub import Publisher, get_publisher
from .sync import SyncOptions, SyncResult, run_sync

log = get_logger("product_sync")


def sync_products(settings: Settings, *, full: bool | None = None, resume: bool = False,
                  publisher: Publisher | None = None) -> SyncResult:  # fmt: skip
    """Sync the catalogue once (FORCE_FULL_SYNC unless `full` says otherwise)."""
    db = connect(settings)
    odoo = None
    try:
        odoo = connect_with_session(db, settings.odoo)
        try:
            result = run_sync(
                db,
                odoo,
                get_embedder(settings),
                publisher or get_publisher(settings.gcp_project, settings.environment),
                SyncOptions(
                    full=settings.force_full_sync if full is None else full,
                    resume=resume,
                    page_size=settings.odoo.page_size,
                    time_budget=settings.time_budget_seconds,
                ),
            )
        except Exception:
            forget_session(db, settings.odoo)
            raise
        if not result.skipped:
            save_session(db, settings.odoo, odoo)
        return result
    finally:
        if odoo is not None:
            odoo.close()
        db.close()


def check_products(settings: Settings) -> list[Check]:
    """TEST_CONNECTIONS_ONLY: Odoo, database and embedding provider; logs each."""
    checks = check_connections(settings)
    for check in checks:
        log.info("connection_check", name=check.name, ok=check.ok, detail=check.detail)
    return checks
