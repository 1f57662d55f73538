"""The product sync against each backend: names in the user's language, archive, delete,
stock moves and kits, as the least-privilege integration user."""

from __future__ import annotations

import time

import pytest

from odoo_engines.core.publish import LocalPublisher
from odoo_engines.core.settings import load_settings
from odoo_engines.products.handlers import sync_products


def _sync(backend, base_env, **extra):
    settings = load_settings({**base_env, **backend.env(**extra)})
    result = sync_products(settings, publisher=LocalPublisher())
    assert result.success, result.error
    return result


def _product(db, odoo_id):
    rows = db.rows("SELECT * FROM products WHERE odoo_id = %s", (odoo_id,))
    return rows[0] if rows else None


def test_names_are_read_in_the_integration_users_language(backend, base_env, db, unique):
    """A product renamed in Odoo's Spanish interface reaches `products` in Spanish; the
    category and unit names come in the same language; ODOO_LANG overrides."""
    shop = backend.shop
    pid = shop.product(f"Office Chair {unique}", f"CHAIR-{unique}", price=120.0)
    shop.translate("product.template", shop.template_of(pid),
                   {"name": f"Silla de oficina {unique}"}, "es_CL")  # fmt: skip
    _sync(backend, base_env)
    assert _product(db, pid)["name"] == f"Silla de oficina {unique}"
    english = load_settings({**base_env, **backend.env(ODOO_LANG="en_US")})
    assert sync_products(english, full=True, publisher=LocalPublisher()).success
    assert _product(db, pid)["name"] == f"Office Chair {unique}"


def test_archived_and_deleted_products_are_deactivated(backend, base_env, db, unique):
    shop = backend.shop
    kept = shop.product(f"Kept {unique}", f"KEPT-{unique}")
    archived = shop.product(f"Archived {unique}", f"ARCH-{unique}")
    deleted = shop.product(f"Deleted {unique}", f"DEL-{unique}")
    _sync(backend, base_env)
    assert _product(db, archived)["is_active"] and _product(db, deleted)["is_active"]
    shop.execute("product.product", "write", [archived], {"active": False})
    shop.execute("product.product", "unlink", [deleted])
    result = _sync(backend, base_env)
    assert _product(db, kept)["is_active"]
    assert not _product(db, archived)["is_active"]
    gone = _product(db, deleted)
    assert not gone["is_active"] and gone["deleted_in_odoo"]
    assert result.products_deactivated >= 1


def test_stock_moves_and_kits_are_followed(backend, base_env, db, unique):
    """On-hand quantities follow stock moves; a kit's follows its components' (a kit has
    no quants of its own, and its write_date never moves)."""
    shop = backend.shop
    desk = shop.product(f"Desk {unique}", f"DESK-{unique}")
    lamp = shop.product(f"Lamp {unique}", f"LAMP-{unique}")
    shop.set_stock(desk, 5)
    shop.set_stock(lamp, 10)
    kit = shop.kit(f"Set {unique}", f"SET-{unique}", {desk: 1, lamp: 2})
    # No overlap window: a re-read of the just-made kit would hide a missed refresh. The
    # second's pause keeps the stock moves after the cursor's second (Odoo's precision).
    _sync(backend, base_env, ODOO_OVERLAP_SECONDS="0")
    assert float(_product(db, desk)["qty_available"]) == 5
    assert float(_product(db, kit)["qty_available"]) == 5
    time.sleep(1.1)
    shop.set_stock(desk, 9)
    shop.set_stock(lamp, 14)
    _sync(backend, base_env, ODOO_OVERLAP_SECONDS="0")
    assert float(_product(db, desk)["qty_available"]) == 9
    assert float(_product(db, kit)["qty_available"]) == shop.on_hand(kit) == 7


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_variants_keep_their_own_codes(backend, base_env, db, unique, full):
    shop = backend.shop
    variants = shop.product_with_variants(f"Shirt {unique}{int(full)}", f"Size{unique}{int(full)}",
                                          ["S", "M", "L"])  # fmt: skip
    for pid, size in zip(variants, "SML", strict=True):
        shop.execute("product.product", "write", [pid], {"default_code": f"SH{unique}-{size}"})
    settings = load_settings({**base_env, **backend.env()})
    if not full:
        sync_products(settings, publisher=LocalPublisher())
    assert sync_products(settings, full=full, publisher=LocalPublisher()).success
    skus = {r["sku"] for r in db.rows(
        "SELECT sku FROM products WHERE odoo_id = ANY(%s)", (variants,))}  # fmt: skip
    assert skus == {f"SH{unique}-S", f"SH{unique}-M", f"SH{unique}-L"}


def test_a_sales_only_database_syncs_without_stock(sales_backend, base_env, db, unique):
    """No Inventory app: the catalogue syncs, stock columns stay empty, the run says why."""
    shop = sales_backend.shop
    pid = shop.product(f"Consulting pack {unique}", f"PACK-{unique}")
    result = _sync(sales_backend, base_env)
    row = _product(db, pid)
    assert row["name"] == f"Consulting pack {unique}" and row["qty_available"] is None
    assert result.embeddings_generated >= 1
    assert "stock" in result.skipped_steps
