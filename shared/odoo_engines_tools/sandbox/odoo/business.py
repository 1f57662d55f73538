"""The few business rules of Odoo that a sync engine can observe through the API.

Variants live on templates (`_inherits`): creating a product.product creates its template,
template fields written through a variant land on the template, and from 17 a template
write bumps its variants' write_date (ODOO.md §4). Sale order lines keep their amounts and
their order's totals (stored computes that bump the order's write_date when they change).
Confirming an order resets `date_order` to the confirmation time (§5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .exceptions import UserError

VARIANT_OWN = {"default_code", "barcode", "weight", "volume", "standard_price"}
LINE_AMOUNT_INPUTS = {
    "product_uom_qty",
    "price_unit",
    "discount",
    "tax_id",
    "tax_ids",
    "product_id",
    "display_type",
}


def _template_fields(db) -> set[str]:
    fields = db.registry["product.product"].fields
    return {n for n, f in fields.items() if f.related and f.related.startswith("product_tmpl_id.")}


def _split(vals: dict, names: set[str]) -> tuple[dict, dict]:
    inside = {k: v for k, v in vals.items() if k in names}
    return inside, {k: v for k, v in vals.items() if k not in names}


def before_create(db, model: str, vals: dict) -> dict:
    if model == "product.product":
        template_vals, vals = _split(vals, _template_fields(db))
        if not vals.get("product_tmpl_id"):
            template_vals.setdefault("uom_id", _default_uom(db))
            template_vals["product_variant_ids"] = []  # exactly this variant, none made for it
            vals["product_tmpl_id"] = db._create_one("product.template", template_vals)
        elif template_vals:
            db.write("product.template", [vals["product_tmpl_id"]], template_vals)
    elif model == "product.template":
        vals.setdefault("uom_id", _default_uom(db))
        if db.registry[model].fields["categ_id"].required:  # 16-18 default: "All"
            vals.setdefault("categ_id", min(db.tables["product.category"], default=None))
        if "uom_po_id" in db.registry[model].fields:
            vals.setdefault("uom_po_id", vals["uom_id"])
        _sync_product_type(db, vals)
    elif model == "sale.order":
        if vals.get("name", "New") == "New":
            vals["name"] = _next_name(db, "sale.order", "S")
        vals.setdefault("date_order", db.now.replace(microsecond=0))
        vals.setdefault("company_id", 1)
        vals.setdefault("currency_id", db.company_currency())
        vals.setdefault("user_id", 2)
        if vals.get("partner_id"):
            vals.setdefault("partner_invoice_id", vals["partner_id"])
            vals.setdefault("partner_shipping_id", vals["partner_id"])
    elif model == "sale.order.line":
        _line_defaults(db, vals)
    elif model == "res.users":  # a user's name, email and language live on its partner
        if not vals.get("partner_id"):
            vals["partner_id"] = db._create_one(
                "res.partner", {"name": vals.pop("name", None) or vals.get("login"),
                                "lang": vals.pop("lang", None) or "en_US"})  # fmt: skip
        vals.setdefault("company_id", 1)
        vals.setdefault("company_ids", [(6, 0, [vals["company_id"]])])
    elif model == "purchase.order":
        if vals.get("name", "New") == "New":
            vals["name"] = _next_name(db, "purchase.order", "P")
        vals.setdefault("date_order", db.now.replace(microsecond=0))
        vals.setdefault("company_id", 1)
    elif model == "purchase.order.line" and vals.get("product_id"):
        vals.setdefault("name", db.display_name("product.product", vals["product_id"]))
    elif model == "mrp.production":
        if vals.get("name", "New") == "New":
            vals["name"] = _next_name(db, "mrp.production", "WH/MO/")
        start = "date_start" if db.release.major >= 17 else "date_planned_start"
        vals.setdefault(start, db.now.replace(microsecond=0))
        vals.setdefault("company_id", 1)
        product = db.row("product.product", vals.get("product_id"))
        if product is not None:
            vals.setdefault("product_uom_id", db.value("product.product", product, "uom_id"))
    return vals


def after_create(db, model: str, rid: int, vals: dict) -> None:
    if model == "product.template" and "product_variant_ids" not in vals:
        own = {k: v for k, v in vals.items() if k in VARIANT_OWN}
        for combination in _combinations(db, rid):
            db._create_one("product.product", {
                "product_tmpl_id": rid, "product_template_attribute_value_ids": combination,
                **own,
            })  # fmt: skip
    elif model == "sale.order.line":
        _recompute_lines(db, [rid])
        _recompute_orders(db, {db.tables[model][rid]["order_id"]})


def before_write(db, model: str, ids: list[int], vals: dict) -> dict:
    if model == "res.users":
        partner_vals, vals = _split(vals, {"name", "lang", "email"})
        if partner_vals:
            partners = [db.tables[model][i]["partner_id"] for i in ids if i in db.tables[model]]
            db.write("res.partner", partners, partner_vals)
    elif model == "product.product":
        template_vals, vals = _split(vals, _template_fields(db))
        if template_vals:
            templates = {
                db.tables[model][i]["product_tmpl_id"] for i in ids if i in db.tables[model]
            }
            db.write("product.template", sorted(templates), template_vals)
    elif model == "product.template":
        _sync_product_type(db, vals)
        own, vals = _split(vals, VARIANT_OWN)
        if own:  # the template's code/barcode/weight are its single variant's (inverse)
            for tid in ids:
                variants = db.children("product.product", "product_tmpl_id").get(tid, [])
                if len(variants) == 1:
                    db.write("product.product", variants, own)
    return vals


def after_write(db, model: str, ids: list[int], vals: dict) -> None:
    if model == "product.template":
        # One index for the loop: the writes below change no template, only the cache.
        kids = db.children("product.product", "product_tmpl_id")
        for tid in ids:
            variants = list(kids.get(tid, []))
            if "active" in vals:
                rows = db.rows("product.product", variants)
                if not vals["active"]:
                    db._write_rows("product.product", variants, {"active": False})
                elif not any(r.get("active") for r in rows):
                    db._write_rows("product.product", variants, {"active": True})
            if db.release.major >= 17 and variants:
                db.touch("product.product", variants)  # variant write_date is a stored compute
    elif model == "sale.order.line" and LINE_AMOUNT_INPUTS & vals.keys():
        _recompute_lines(db, ids)
        _recompute_orders(
            db, {db.tables[model][i]["order_id"] for i in ids if i in db.tables[model]}
        )


def before_unlink(db, model: str, ids: list[int]) -> Callable[[], None] | None:
    """Cascades, and what to recompute once the rows are gone."""
    if model == "sale.order":
        lines = [
            line for oid in ids for line in db.children("sale.order.line", "order_id").get(oid, [])
        ]
        if lines:
            db.unlink("sale.order.line", lines)
    elif model == "sale.order.line":
        orders = {db.tables[model][i]["order_id"] for i in ids if i in db.tables[model]}
        return lambda: _recompute_orders(db, orders)
    elif model == "product.template":
        variants = [
            v for tid in ids for v in db.children("product.product", "product_tmpl_id").get(tid, [])
        ]
        if variants:
            db.unlink("product.product", variants)
    return None


# -- methods callable over RPC (model-specific) ----------------------------------------------
def action_confirm(db, ids: list[int]) -> bool:
    """Quotation → sales order; `date_order` becomes the confirmation time."""
    for row in db.rows("sale.order", ids):
        if row["state"] not in ("draft", "sent"):
            raise UserError("Some orders are not in a state requiring confirmation.")
    db.write("sale.order", ids, {"state": "sale", "date_order": db.now.replace(microsecond=0)})
    return True


def _writes(values_16: dict, values_17: dict | None = None) -> Callable[[Any, list[int]], bool]:
    """An order button that writes fixed values (17+ may write others than 16)."""

    def action(db, ids: list[int]) -> bool:
        values = values_17 if values_17 is not None and db.release.sale_locked else values_16
        db.write("sale.order", ids, values)
        return True

    return action


SALE_ORDER_ACTIONS: dict[str, Callable[[Any, list[int]], bool]] = {
    "action_confirm": action_confirm,
    "action_cancel": _writes({"state": "cancel"}),
    "action_draft": _writes({"state": "draft"}),
    "action_unlock": _writes({"state": "sale"}, {"locked": False}),
}


def sale_order_actions(release) -> dict[str, Callable[[Any, list[int]], bool]]:
    """Locking is `action_done` (state done) in 16, `action_lock` (locked) from 17."""
    name = "action_lock" if release.sale_locked else "action_done"
    return {**SALE_ORDER_ACTIONS, name: _writes({"state": "done"}, {"locked": True})}


def apply_inventory(db, ids: list[int]) -> None:
    """stock.quant `action_apply_inventory`: the counted quantity becomes the quantity.

    Odoo keeps one quant per product and location; the sandbox, which creates a new
    quant per count, empties the others so the location holds what was counted.
    """
    for quant in db.rows("stock.quant", ids):
        same_product = db.children("stock.quant", "product_id").get(quant["product_id"], ())
        siblings = [
            q["id"]
            for q in db.rows("stock.quant", same_product)
            if q["location_id"] == quant["location_id"] and q["id"] != quant["id"]
        ]
        if siblings:
            db.write("stock.quant", siblings, {"quantity": 0.0})
        db.write("stock.quant", [quant["id"]],
                 {"quantity": quant.get("inventory_quantity") or 0.0, "inventory_quantity": 0.0})


def _state(model: str, state: str) -> Callable[[Any, list[int]], None]:
    return lambda db, ids: db.write(model, ids, {"state": state})


# Buttons of other models than sale.order, callable over RPC: {model: {method: action}}.
RECORD_ACTIONS: dict[str, dict[str, Callable[[Any, list[int]], Any]]] = {
    "stock.quant": {"action_apply_inventory": apply_inventory},
    "purchase.order": {"button_confirm": _state("purchase.order", "purchase")},
    "mrp.production": {"action_confirm": _state("mrp.production", "confirmed")},
}


# -- helpers -------------------------------------------------------------------------------
def _combinations(db, template_id: int) -> list[list[int]]:
    """One list of template attribute value ids per variant to create ([[]]: no attributes).

    Each attribute line's values become template attribute values first, as Odoo does.
    """
    lines = db.children("product.template.attribute.line", "product_tmpl_id").get(template_id, ())
    combos: list[list[int]] = [[]]
    for line in db.rows("product.template.attribute.line", lines):
        ptavs = [db._create_one("product.template.attribute.value", {
            "attribute_line_id": line["id"], "product_attribute_value_id": value,
        }) for value in line.get("value_ids") or ()]  # fmt: skip
        combos = [[*c, p] for c in combos for p in ptavs] if ptavs else combos
    return combos



def _default_uom(db) -> int | None:
    return min(db.tables["uom.uom"], default=None)


def _next_name(db, model: str, prefix: str) -> str:
    """The next free sequence number, e.g. S00042."""
    number = len(db.tables[model]) + 1
    names = {row.get("name") for row in db.tables[model].values()}
    while f"{prefix}{number:05d}" in names:
        number += 1
    return f"{prefix}{number:05d}"


def _sync_product_type(db, vals: dict) -> None:
    """16/17: `type` is computed from `detailed_type`."""
    fields = db.registry["product.template"].fields
    if "detailed_type" not in fields:
        return
    if "detailed_type" in vals:
        vals["type"] = (
            vals["detailed_type"]
            if vals["detailed_type"] in ("consu", "service", "product")
            else "consu"
        )
    elif "type" in vals:
        vals["detailed_type"] = vals["type"]


def _line_defaults(db, vals: dict) -> None:
    uom_name, tax_name = db.release.line_field_names
    product = db.row("product.product", vals.get("product_id"))
    if vals.get("display_type"):
        vals.setdefault("product_uom_qty", 0.0)
        return
    if product is not None:
        vals.setdefault("name", db.display_name("product.product", product["id"]))
        vals.setdefault(uom_name, db.value("product.product", product, "uom_id"))
        vals.setdefault("price_unit", db.value("product.product", product, "lst_price"))
        sale_tax = next(
            (r["id"] for r in db.tables["account.tax"].values() if r.get("type_tax_use") == "sale"),
            None,
        )
        if sale_tax and tax_name not in vals:
            vals[tax_name] = [sale_tax]


def _recompute_lines(db, ids: list[int]) -> None:
    _uom, tax_name = db.release.line_field_names
    taxes = db.tables["account.tax"]
    table = db.tables["sale.order.line"]
    for rid in ids:
        row = table.get(rid)
        if row is None:
            continue
        if row.get("display_type"):
            amounts = {"price_subtotal": 0.0, "price_tax": 0.0, "price_total": 0.0}
        else:
            digits = _currency_digits(
                db, (db.row("sale.order", row["order_id"]) or {}).get("currency_id")
            )
            base = (row.get("product_uom_qty") or 0.0) * (row.get("price_unit") or 0.0)
            subtotal = round(base * (1 - (row.get("discount") or 0.0) / 100.0), digits)
            rate = sum(taxes[t].get("amount") or 0.0 for t in row.get(tax_name) or () if t in taxes)
            tax = round(subtotal * rate / 100.0, digits)
            amounts = {"price_subtotal": subtotal, "price_tax": tax, "price_total": subtotal + tax}
        if any(row.get(k) != v for k, v in amounts.items()):
            db._write_rows("sale.order.line", [rid], amounts)


def _recompute_orders(db, order_ids: set[int]) -> None:
    lines_by_order = db.children("sale.order.line", "order_id")
    for oid in order_ids:
        order = db.row("sale.order", oid)
        if order is None:
            continue
        lines = db.rows("sale.order.line", lines_by_order.get(oid, []))
        untaxed = sum(line.get("price_subtotal") or 0.0 for line in lines)
        tax = sum(line.get("price_tax") or 0.0 for line in lines)
        amounts = {"amount_untaxed": untaxed, "amount_tax": tax, "amount_total": untaxed + tax}
        if any(order.get(k) != v for k, v in amounts.items()):
            db._write_rows("sale.order", [oid], amounts)


def _currency_digits(db, currency_id: int | None) -> int:
    currency = db.row("res.currency", currency_id)
    return int(currency.get("decimal_places") or 0) if currency else 2
