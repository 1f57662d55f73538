"""Running a product sync from settings: the one path the function and the CLI share."""

from __future__ import annotations

from ..core.checks import Check, database_probe, run_checks
from ..core.db import connect
from ..core.logging import get_logger
from ..core.publish import Publisher, get_publisher
from ..core.settings import Settings
from ..embeddings import embedding_probe, get_embedder
from ..odoo import odoo_probe
from .sessions import connect_with_session, forget_session, save_session
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
    """TEST_CONNECTIONS_ONLY: the database, Odoo and the embedding provider; logs each."""
    return run_checks(
        {
            "database": database_probe(settings.database),
            "odoo": odoo_probe(settings.odoo),
            "embeddings": embedding_probe(settings),
        }
    )
