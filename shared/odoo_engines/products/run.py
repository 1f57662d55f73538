"""The product sync: Odoo's catalogue → `products`, then embeddings for what changed.

One run: take the job's advisory lock; page product.product by (write_date, id) from the
saved cursor (archived included), each page one transaction with its cursor; reconcile
deletions by comparing id sets once the pages are done; refresh on-hand quantities of
products whose stock moved; embed rows whose text or model changed, as few provider
calls as the batch limit allows; build the search index when the catalogue's size calls
for it. Near the time budget it stops, keeps its cursor and, once its lock is released,
asks for a continuation. Every step is idempotent, so a redelivered message is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core import runs
from ..core.db import Database
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..embeddings import Embedder
from . import store
from .mapping import ODOO_FIELDS, to_row
from .settings import ProductSettings

if TYPE_CHECKING:
    from ..odoo import OdooClient

log = get_logger("product_sync")
JOB = "product-sync"
MODEL = "product.product"
RESERVE_SECONDS = 30.0  # left for the last page, its commit and publishing the continuation


def _reserve(budget: runs.TimeBudget) -> float:
    return min(RESERVE_SECONDS, budget.seconds / 4)


@dataclass
class SyncResult(runs.RunResult):
    """The seed's result shape (success, counts, error), plus what operators need to
    trust it; `skipped`, `continued` and the timings come with every run's result."""

    products_processed: int = 0
    products_inserted: int = 0
    products_updated: int = 0
    products_deactivated: int = 0
    embeddings_generated: int = 0
    embedding_calls: int = 0
    odoo_calls: int = 0
    duplicate_skus: dict[str, list[int]] = field(default_factory=dict)
    skipped_steps: dict[str, str] = field(default_factory=dict)  # step → why (an app missing)
    catalogue_seconds: float = 0.0  # Odoo → products, deletions and stock
    embedding_seconds: float = 0.0


def run_sync(db: Database, odoo: OdooClient, embedder: Embedder, options: ProductSettings,
             *, continuation: bool = False) -> SyncResult:  # fmt: skip
    """One recorded product sync run under the job's lock; a failure is recorded, then
    raised. `continuation` resumes exactly where the previous run stopped."""

    def work(result: SyncResult) -> None:
        odoo_calls, embedding_calls = odoo.calls, embedder.calls
        try:
            _sync(db, odoo, embedder, options, continuation, result)
        finally:
            result.odoo_calls = odoo.calls - odoo_calls
            result.embedding_calls = embedder.calls - embedding_calls

    return runs.recorded_run(db, JOB, SyncResult(), work)


def _sync(db: Database, odoo: OdooClient, embedder: Embedder, options: ProductSettings,
          continuation: bool, result: SyncResult) -> None:  # fmt: skip
    budget = runs.TimeBudget(options.time_budget)
    store.check_dimensions(db, embedder.dimensions)
    store.prepare(db)
    restart = options.full and not continuation  # from scratch: every cursor set aside
    cursor = None if restart else runs.load_cursor(db, JOB)
    fields = odoo.existing_fields(MODEL, ODOO_FIELDS)
    # Installed apps, asked once per login (the saved session keeps the answers).
    stock, kits = odoo.installed("stock.quant"), odoo.installed("mrp.bom")
    # A continuation resumes exactly where its predecessor stopped; a new run re-reads
    # the client's overlap window behind the cursor (late commits).
    overlap = 0 if continuation else None
    pages = odoo.pages(MODEL, [], fields, cursor=cursor, page_size=options.page_size,
                       include_archived=True, overlap_seconds=overlap)  # fmt: skip
    for page in pages:
        rows = [to_row(record, odoo.db) for record in page.records]
        with db.transaction():
            written = store.write_page(db, rows)
            runs.save_cursor(db, JOB, "", page.cursor)
        result.products_processed += len(rows)
        result.products_inserted += written.inserted
        result.products_updated += written.updated
        if budget.exhausted(_reserve(budget)):
            _continue(result, "pages")
            return
    if not odoo.version.at_least(17):
        _template_edits(db, odoo, fields, options, restart, result)
    if stock:
        _refresh_stock(db, odoo, options, restart, kits)
    else:
        result.skipped_steps["stock"] = "Inventory is not installed: no on-hand quantities"
        log.info("product_sync_step_skipped", step="stock", why=result.skipped_steps["stock"])
    result.products_deactivated = store.deactivate_missing(
        db, odoo.search(MODEL, [], context={"active_test": False})
    )
    result.duplicate_skus = store.duplicate_skus(db)
    if result.duplicate_skus:
        log.warning("duplicate_skus", count=len(result.duplicate_skus),
                    skus=list(result.duplicate_skus)[:20])  # fmt: skip
    result.catalogue_seconds = round(budget.elapsed(), 3)
    done = _embed_pending(db, embedder, budget, result)
    result.embedding_seconds = round(budget.elapsed() - result.catalogue_seconds, 3)
    if not done:
        _continue(result, "embeddings")
        return
    store.ensure_index(db)
    runs.mark_success(db, JOB)


def _side_cursor(
    db: Database, odoo: OdooClient, restart: bool, model: str, scope: str
) -> dict[str, Any] | None:
    """The saved cursor of a stream beside the variant pages (`model`), or None after
    placing it at `model`'s newest record: a run without it has just read every variant
    (the pager re-reads an overlap behind the placed cursor next time)."""
    if not restart:
        cursor = runs.load_cursor(db, JOB, scope)
        if cursor is not None:
            return cursor
    newest = odoo.search_read(model, [], ["write_date"], order="write_date desc, id desc",
                              limit=1, context={"active_test": False})  # fmt: skip
    if newest:
        position = {"write_date": str(newest[0]["write_date"])[:19], "id": newest[0]["id"]}
        runs.save_cursor(db, JOB, scope, position)
    return None


def _template_edits(db: Database, odoo: OdooClient, fields: list[str], options: ProductSettings,
                    restart: bool, result: SyncResult) -> None:  # fmt: skip
    """16: re-read the variants of templates edited since the last run.

    On 16 a template edit (name, price, category) leaves its variants' write_date as it
    was (17+ bumps it), so the variant pages miss it; templates have their own cursor.
    """
    cursor = _side_cursor(db, odoo, restart, "product.template", "templates")
    if cursor is None:
        return
    for page in odoo.pages("product.template", [], ["id"], cursor=cursor,
                           page_size=options.page_size, include_archived=True):  # fmt: skip
        ids = [template["id"] for template in page.records]
        variants = odoo.search_read(MODEL, [["product_tmpl_id", "in", ids]], fields,
                                    context={"active_test": False}) if ids else []  # fmt: skip
        with db.transaction():
            written = store.write_page(db, [to_row(v, odoo.db) for v in variants])
            runs.save_cursor(db, JOB, "templates", page.cursor)
        result.products_updated += written.updated
        result.products_inserted += written.inserted


def _refresh_stock(db: Database, odoo: OdooClient, options: ProductSettings, restart: bool,
                   kits: bool) -> None:  # fmt: skip
    """Re-read on-hand quantities of products whose stock moved since the last run.

    qty_available is computed and never bumps the product's write_date; stock.quant's
    write_date moves with its quantity, so its own cursor finds what changed.
    On 17+ a page of quants brings its products' quantities along (one call, not two).
    Kits (phantom bills of materials) have no quants: their quantity is computed from
    their components', so when any stock moved, every kit's is read again (one call).
    """
    cursor = _side_cursor(db, odoo, restart, "stock.quant", "stock")
    if cursor is None:
        return
    inline = {"product_id": ["qty_available"]} if odoo.reads_inline else None
    moved = False
    for page in odoo.pages("stock.quant", [], ["product_id"], cursor=cursor,
                           page_size=options.page_size * 4, inline=inline):  # fmt: skip
        if inline:  # 17+: each quant carries its product's quantity, one call per page
            quantities = list({q["product_id"]["id"]: q["product_id"]
                               for q in page.records if q.get("product_id")}.values())  # fmt: skip
        else:
            ids = sorted({q["product_id"][0] for q in page.records if q.get("product_id")})
            quantities = odoo.read(MODEL, ids, ["qty_available"]) if ids else []
        moved = moved or bool(quantities)
        with db.transaction():
            store.update_quantities(db, quantities)
            runs.save_cursor(db, JOB, "stock", page.cursor)
    if moved and kits:
        store.update_quantities(db, odoo.search_read(
            MODEL, [["is_kits", "=", True]], ["qty_available"], context={"active_test": False}
        ))  # fmt: skip


def _embed_pending(db: Database, embedder: Embedder, budget: runs.TimeBudget,
                   result: SyncResult) -> bool:  # fmt: skip
    """Embed every stale row; False when the time budget ran out first.

    At least one batch is embedded per run, so continuations always make progress.
    """
    store.invalidate_other_models(db, embedder.model)
    while True:
        pending = store.pending_embeddings(db, embedder.max_batch)
        if not pending:
            return True
        if result.embeddings_generated and budget.exhausted(_reserve(budget)):
            return False
        ids, texts, hashes = zip(*pending, strict=True)
        vectors = embedder.embed(list(texts))
        if len(vectors) != len(ids):
            raise PermanentError(f"embedder returned {len(vectors)} vectors for {len(ids)} texts")
        store.store_embeddings(db, ids, hashes, vectors, embedder.model)
        result.embeddings_generated += len(ids)


def _continue(result: SyncResult, phase: str) -> None:
    result.continued = True
    log.info("product_sync_continues", phase=phase, processed=result.products_processed)
