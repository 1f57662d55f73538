"""The models the sandbox serves and their fields, per Odoo release (ODOO.md §3.2, §4, §5).

`build_registry(release)` returns `{model name: Model}`: field names, selections and
default orders follow the release (`detailed_type` → `type` + `is_storable`, `done` →
`locked`, `mobile` gone in 19, `product_uom` → `product_uom_id`, …).
Computed fields read other tables through the database (`db.row`, `db.children`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .fields import (
    Boolean,
    Char,
    Date,
    Datetime,
    Field,
    Float,
    Html,
    Integer,
    Many2many,
    Many2one,
    Monetary,
    One2many,
    Related,
    Selection,
    Text,
)
from .versions import Release

INTERNAL = "internal"


@dataclass
class Model:
    """One Odoo model: its fields, default `_order`, `_rec_name` and display name."""

    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    rec_name: str = "name"
    parent_name: str | None = None
    display: Callable[[Any, dict], str] | None = None
    x2many_children: list[Field] = field(default_factory=list)

    @property
    def active_field(self) -> str | None:
        return "active" if "active" in self.fields else None


# -- computed values -----------------------------------------------------------------------
def _name_of(db, model: str, rid: int | None) -> str:
    return db.display_name(model, rid) if rid else ""


def _product_display(db, row: dict) -> str:
    template = db.row("product.template", row["product_tmpl_id"]) or {}
    text = template.get("name") or ""
    if row.get("default_code"):
        text = f"[{row['default_code']}] {text}"
    values = [
        db.value("product.template.attribute.value", ptav, "name")
        for ptav in db.rows(
            "product.template.attribute.value",
            row.get("product_template_attribute_value_ids") or (),
        )
    ]
    return f"{text} ({', '.join(values)})" if values else text


def _partner_display(db, row: dict) -> str:
    name = row.get("name") or ""
    parent = row.get("parent_id")
    if parent and not row.get("is_company"):
        parent_name = (db.row("res.partner", parent) or {}).get("name") or ""
        return f"{parent_name}, {name}" if name else parent_name
    return name


def _path_display(model: str, parent_field: str, separator: str) -> Callable[[Any, dict], str]:
    """`All / Ventas / Aceites`: the names from the root down (complete_name).

    Stock locations stop at a view location ("WH/Stock", not "Physical Locations/WH/Stock").
    """

    def display(db, row: dict) -> str:
        names, seen, current = [], set(), row
        while current is not None and current["id"] not in seen:
            seen.add(current["id"])
            names.append(current.get("name") or "")
            if current.get("usage") == "view":
                break
            parent = current.get(parent_field)
            current = db.row(model, parent) if parent else None
        return separator.join(reversed(names))

    return display


def _quants(db, product_id: int) -> list[dict]:
    return db.rows("stock.quant", db.children("stock.quant", "product_id").get(product_id, ()))


def _is_internal(db, quant: dict) -> bool:
    location = db.row("stock.location", quant.get("location_id"))
    return bool(location) and location.get("usage") == INTERNAL


def _qty_available(db, row: dict) -> float:
    bom = _kit_bom(db, row)
    if bom is not None:  # a kit: as many as its scarcest component makes (no quants of its own)
        lines = db.rows("mrp.bom.line", db.children("mrp.bom.line", "bom_id").get(bom["id"], ()))
        made = [
            _qty_available(db, db.row("product.product", line["product_id"]))
            // (line["product_qty"] or 1.0)
            for line in lines
            if line.get("product_id")
        ]
        return float(min(made, default=0.0)) * (bom.get("product_qty") or 1.0)
    return sum(q["quantity"] or 0.0 for q in _quants(db, row["id"]) if _is_internal(db, q))


def _kit_bom(db, row: dict) -> dict | None:
    """The phantom bill of materials that makes `row` a kit, if any (mrp installed)."""
    if "mrp.bom" not in db.registry:
        return None
    boms = db.children("mrp.bom", "product_tmpl_id").get(row["product_tmpl_id"], ())
    for bom in db.rows("mrp.bom", boms):
        if bom.get("type") == "phantom" and bom.get("product_id") in (None, row["id"]):
            return bom
    return None


def _reserved(db, row: dict) -> float:
    return sum(q["reserved_quantity"] or 0.0 for q in _quants(db, row["id"]) if _is_internal(db, q))


def _incoming_qty(db, row: dict) -> float:
    total = 0.0
    for line in db.rows(
        "purchase.order.line", db.children("purchase.order.line", "product_id").get(row["id"], ())
    ):
        order = db.row("purchase.order", line["order_id"]) or {}
        if order.get("state") == "purchase":
            total += max((line["product_qty"] or 0.0) - (line["qty_received"] or 0.0), 0.0)
    for mo in db.rows(
        "mrp.production", db.children("mrp.production", "product_id").get(row["id"], ())
    ):
        if mo.get("state") in ("confirmed", "progress", "to_close"):
            total += mo["product_qty"] or 0.0
    return total


def _outgoing_qty(db, row: dict) -> float:
    total = 0.0
    for line in db.rows(
        "sale.order.line", db.children("sale.order.line", "product_id").get(row["id"], ())
    ):
        order = db.row("sale.order", line["order_id"]) or {}
        if order.get("state") in ("sale", "done"):
            total += max((line["product_uom_qty"] or 0.0) - (line["qty_delivered"] or 0.0), 0.0)
    return total


def _variants(db, row: dict) -> list[dict]:
    return db.rows(
        "product.product", db.children("product.product", "product_tmpl_id").get(row["id"], ())
    )


def _sum_variants(compute: Callable[[Any, dict], float]) -> Callable[[Any, dict], float]:
    return lambda db, row: sum(compute(db, v) for v in _variants(db, row) if v.get("active"))


def _from_single_variant(name: str, empty: Any) -> Callable[[Any, dict], Any]:
    """Template default_code/barcode/weight: the variant's when it has exactly one."""

    def compute(db, row: dict) -> Any:
        active = [v for v in _variants(db, row) if v.get("active")]
        return active[0].get(name) if len(active) == 1 else empty

    return compute


def _sale_order_count(db, row: dict) -> int:
    by_partner = db.children("sale.order", "partner_id")
    partners = [row["id"], *db.children("res.partner", "parent_id").get(row["id"], ())]
    return sum(len(by_partner.get(p, ())) for p in partners)


def _price_extra(db, row: dict) -> float:
    ptavs = db.rows(
        "product.template.attribute.value", row.get("product_template_attribute_value_ids") or ()
    )
    return sum(p.get("price_extra") or 0.0 for p in ptavs)


def _lst_price(db, row: dict) -> float:
    template = db.row("product.template", row["product_tmpl_id"]) or {}
    return (template.get("list_price") or 0.0) + _price_extra(db, row)


def _state_display(db, row: dict) -> str:
    """`California (US)`."""
    country = db.row("res.country", row.get("country_id")) or {}
    return f"{row.get('name')} ({country.get('code')})"


def _ptav_display(db, row: dict) -> str:
    """`Tamaño: 500 ml`."""
    model = "product.template.attribute.value"
    attribute = _name_of(db, "product.attribute", db.value(model, row, "attribute_id"))
    return f"{attribute}: {db.value(model, row, 'name')}"


def _line_display(db, row: dict) -> str:
    order = db.row("sale.order", row.get("order_id")) or {}
    first_line = (row.get("name") or "").partition("\n")[0]
    return f"{order.get('name', '')} - {first_line}"


def _partner_type(release: Release) -> list[tuple[str, str]]:
    types = [
        ("contact", "Contact"),
        ("invoice", "Invoice Address"),
        ("delivery", "Delivery Address"),
    ]
    if release.major == 16:
        types.append(("private", "Private Address"))
    return [*types, ("other", "Other Address")]


# -- the registry --------------------------------------------------------------------------
APPS = ("full", "sales")
# What a database with the Sales app only lacks (Inventory, Purchase, Manufacturing).
NOT_IN_SALES = ("stock.", "mrp.", "purchase.")
STOCK_FIELDS = ("qty_available", "free_qty", "incoming_qty", "outgoing_qty",
                "virtual_available", "is_storable", "is_kits")  # fmt: skip


def build_registry(release: Release, apps: str = "full") -> dict[str, Model]:
    """Every model of this release and installed `apps`, with magic fields resolved.

    `apps="sales"` is a database with Sales only: no stock, purchase or manufacturing
    models, and no stock fields on products (calls answer "Object … doesn't exist").
    """
    if apps not in APPS:
        raise ValueError(f"apps must be one of {', '.join(APPS)}, got {apps!r}")
    models = [
        *_base_models(release),
        *_product_models(release),
        *_sale_models(release),
        *_stock_models(release),
    ]
    if apps == "sales":
        models = [m for m in models if not m.name.startswith(NOT_IN_SALES)]
        for m in models:
            for name, f in list(m.fields.items()):
                if name in STOCK_FIELDS or (f.relation or "").startswith(NOT_IN_SALES):
                    del m.fields[name]
    registry = {m.name: m for m in models}
    registry["ir.model"] = _ir_model(release)
    for model in registry.values():
        _add_magic_fields(model, release)
    for model in registry.values():
        for name, f in model.fields.items():
            f.name = name
        for f in model.fields.values():
            if f.related:
                _resolve_related(registry, model, f)
    return registry


def _add_magic_fields(model: Model, release: Release) -> None:
    magic = {
        "id": Integer("ID", readonly=True),
        "display_name": Char("Display Name", store=False, search=True),
        "create_uid": Many2one("res.users", "Created by", readonly=True),
        "create_date": Datetime("Created on", readonly=True),
        "write_uid": Many2one("res.users", "Last Updated by", readonly=True),
        "write_date": Datetime("Last Updated on", readonly=True),
    }
    if release.last_update_field:
        magic["__last_update"] = Datetime(
            "Last Modified on",
            store=False,
            compute=lambda db, row: row.get("write_date") or row.get("create_date"),
        )
    for name, f in magic.items():
        model.fields.setdefault(name, f)
    display = model.display
    rec_name = model.rec_name
    model.fields["display_name"].compute = (
        (lambda db, row: display(db, row))
        if display
        else (lambda db, row: db.value(model.name, row, rec_name) or "")
    )
    if model.name == "product.product" and release.last_update_field:
        # 16: product.product's __last_update is the newest of variant and template.
        def last_update(db, row: dict):
            template = db.row("product.template", row["product_tmpl_id"]) or {}
            stamps = [s for s in (row.get("write_date"), template.get("write_date")) if s]
            return max(stamps) if stamps else None

        model.fields["__last_update"].compute = last_update


def _resolve_related(registry: dict[str, Model], model: Model, f: Field) -> None:
    path = f.related.split(".")
    current, chain = model, []
    for step in path:
        target = current.fields[step]
        chain.append((current.name, step))
        if step != path[-1]:
            current = registry[target.relation]
    f.type = f.type or target.type
    f.relation = f.relation or target.relation
    f.selection = f.selection if f.selection is not None else target.selection
    f.string = f.string or target.string

    resolved: list = []  # [(getter, comodel table)...], last: (getter, None); built on first use

    def compute(db, row: dict) -> Any:
        if not resolved:
            for model_name, step in chain:
                relation = registry[model_name].fields[step].relation
                last = (model_name, step) == chain[-1]
                resolved.append(
                    (db.getter(model_name, step), None if last else db.tables[relation])
                )
        for get, table in resolved:
            if table is None:
                return get(row)
            fk = get(row)
            row = table.get(fk) if fk else None
            if row is None:
                return None
        return None

    f.compute = compute


def _base_models(release: Release) -> list[Model]:
    partner_fields = {
        "name": Char("Name"),
        "email": Char("Email"),
        "phone": Char("Phone"),
        "street": Char("Street"),
        "street2": Char("Street2"),
        "city": Char("City"),
        "zip": Char("Zip"),
        "state_id": Many2one("res.country.state", "State"),
        "country_id": Many2one("res.country", "Country"),
        "country_code": Related("country_id.code", "Country Code"),
        "vat": Char("Tax ID"),
        "ref": Char("Reference"),
        "lang": Char("Language"),
        "is_company": Boolean("Is a Company"),
        "company_type": Selection(
            [("person", "Individual"), ("company", "Company")],
            "Company Type",
            store=False,
            compute=lambda db, row: "company" if row.get("is_company") else "person",
        ),
        "parent_id": Many2one("res.partner", "Related Company"),
        "child_ids": One2many("res.partner", "parent_id", "Contact"),
        "type": Selection(_partner_type(release), "Address Type", default="contact"),
        "company_id": Many2one("res.company", "Company"),
        "active": Boolean("Active", default=True),
        "customer_rank": Integer("Customer Rank"),
        "supplier_rank": Integer("Supplier Rank"),
        "sale_order_count": Integer("Sale Order Count", store=False, compute=_sale_order_count),
    }
    if release.partner_mobile:
        partner_fields["mobile"] = Char("Mobile")
    name_field = "display_name" if release.major == 16 else "complete_name"
    if release.major == 16:
        # 16 stores display_name; the magic field is replaced by the stored one.
        partner_fields["display_name"] = Char("Display Name", compute=_partner_display)
    else:
        partner_fields["complete_name"] = Char("Complete Name", compute=_partner_display)
    return [
        Model(
            "res.partner",
            "Contact",
            partner_fields,
            order=f"{name_field} ASC, id DESC",
            rec_name=name_field,
            parent_name="parent_id",
            display=_partner_display,
        ),
        Model(
            "res.company",
            "Companies",
            {
                "name": Related("partner_id.name", "Company Name", store=True),
                "partner_id": Many2one("res.partner", "Partner", required=True),
                "currency_id": Many2one("res.currency", "Currency", required=True),
                "country_id": Related("partner_id.country_id", "Country"),
                "vat": Related("partner_id.vat", "Tax ID"),
                "email": Related("partner_id.email", "Email"),
                "phone": Related("partner_id.phone", "Phone"),
                "active": Boolean("Active", default=True),
                "sequence": Integer("Sequence", default=10),
            },
            order="sequence, name",
        ),
        Model(
            "res.currency",
            "Currency",
            {
                "name": Char("Currency", required=True),
                "full_name": Char("Name"),
                "symbol": Char("Symbol", required=True),
                "rounding": Float("Rounding Factor"),
                "decimal_places": Integer("Decimal Places"),
                "position": Selection(
                    [("after", "After Amount"), ("before", "Before Amount")], "Symbol Position"
                ),
                "active": Boolean("Active", default=True),
            },
            order="active desc, name",
        ),
        Model(
            "res.country",
            "Country",
            {
                "name": Char("Country Name", required=True),
                "code": Char("Country Code"),
                "phone_code": Integer("Country Calling Code"),
                "currency_id": Many2one("res.currency", "Currency"),
                "state_ids": One2many("res.country.state", "country_id", "States"),
            },
            order="name",
        ),
        Model(
            "res.country.state",
            "Country state",
            {
                "name": Char("State Name", required=True),
                "code": Char("State Code", required=True),
                "country_id": Many2one("res.country", "Country", required=True),
            },
            order="country_id, name",
            display=_state_display,
        ),
        Model(
            "res.users",
            "User",
            {
                "login": Char("Login", required=True),
                "partner_id": Many2one("res.partner", "Related Partner", required=True),
                "name": Related("partner_id.name", "Name", store=True),
                "email": Related("partner_id.email", "Email"),
                "company_id": Many2one("res.company", "Company", required=True),
                "company_ids": Many2many("res.company", "Companies"),
                "lang": Related("partner_id.lang", "Language"),
                "tz": Char("Timezone"),
                "share": Boolean("Share User"),
                "active": Boolean("Active", default=True),
                release.groups_field: Many2many("res.groups", "Groups"),
            },
            order="name, login",
        ),
        Model("res.groups", "Access Groups", {"name": Char("Name", required=True)}),
        Model(
            "ir.model.data",
            "Model Data",
            {
                "module": Char("Module", required=True),
                "name": Char("External Identifier", required=True),
                "model": Char("Model Name", required=True),
                "res_id": Integer("Record ID"),
            },
            order="module, model, name",
        ),
        Model(
            "res.lang",
            "Languages",
            {
                "name": Char("Name", required=True),
                "code": Char("Locale Code", required=True),
                "active": Boolean("Active"),
            },
            order="active desc, name",
        ),
    ]


def _product_models(release: Release) -> list[Model]:
    uom_fields = {
        "name": Char("Unit of Measure", required=True, translate=True),
        "factor": Float("Ratio"),
        "rounding": Float("Rounding Precision"),
        "active": Boolean("Active", default=True),
    }
    uom_models = []
    if release.uom_category:
        uom_fields["category_id"] = Many2one("uom.category", "Category", required=True)
        uom_fields["uom_type"] = Selection(
            [
                ("bigger", "Bigger than the reference"),
                ("reference", "Reference"),
                ("smaller", "Smaller than the reference"),
            ],
            "Type",
        )
        uom_models.append(
            Model(
                "uom.category", "Product UoM Categories", {"name": Char("Unit of Measure Category")}
            )
        )
    else:
        uom_fields["sequence"] = Integer("Sequence")
        uom_fields["relative_factor"] = Float("Relative Quantity")
    uom_order = "factor DESC, id" if release.uom_category else "sequence, id"

    if release.is_storable:
        type_selection = [("consu", "Goods"), ("service", "Service"), ("combo", "Combo")]
    else:
        type_selection = [
            ("consu", "Consumable"),
            ("service", "Service"),
            ("product", "Storable Product"),
        ]
    template_fields: dict[str, Field] = {
        "name": Char("Name", required=True, translate=True),
        "sequence": Integer("Sequence", default=1),
        "description": Html("Description", translate=True),
        "description_sale": Text("Sales Description", translate=True),
        "categ_id": Many2one("product.category", "Product Category", required=release.major < 19),
        "list_price": Float("Sales Price", default=1.0),
        "standard_price": Float(
            "Cost", store=False, compute=_from_single_variant("standard_price", 0.0)
        ),
        "type": Selection(type_selection, "Product Type", required=True, default="consu"),
        "default_code": Char(
            "Internal Reference", compute=_from_single_variant("default_code", None)
        ),
        "barcode": Char(
            "Barcode", store=False, search=True, compute=_from_single_variant("barcode", None)
        ),
        "weight": Float("Weight", compute=_from_single_variant("weight", 0.0)),
        "volume": Float("Volume", compute=_from_single_variant("volume", 0.0)),
        "sale_ok": Boolean("Can be Sold", default=True),
        "purchase_ok": Boolean("Can be Purchased", default=True),
        "uom_id": Many2one("uom.uom", "Unit of Measure", required=True),
        "company_id": Many2one("res.company", "Company"),
        "currency_id": Many2one(
            "res.currency", "Currency", store=False, compute=lambda db, row: db.company_currency()
        ),
        "active": Boolean("Active", default=True),
        "product_variant_ids": One2many("product.product", "product_tmpl_id", "Products"),
        "product_variant_count": Integer(
            "# Product Variants",
            store=False,
            compute=lambda db, row: sum(1 for v in _variants(db, row) if v.get("active")),
        ),
        "attribute_line_ids": One2many(
            "product.template.attribute.line", "product_tmpl_id", "Product Attributes"
        ),
        "qty_available": Float(
            "Quantity On Hand", store=False, search=True, compute=_sum_variants(_qty_available)
        ),
        "virtual_available": Float(
            "Forecasted Quantity",
            store=False,
            search=True,
            compute=_sum_variants(
                lambda db, r: _qty_available(db, r) + _incoming_qty(db, r) - _outgoing_qty(db, r)
            ),
        ),
    }
    if release.uom_category:
        template_fields["uom_po_id"] = Many2one("uom.uom", "Purchase Unit", required=True)
    if release.is_storable:
        template_fields["is_storable"] = Boolean("Track Inventory")
    else:
        detailed = [*type_selection]
        template_fields["detailed_type"] = Selection(
            detailed, "Product Type", required=True, default="consu"
        )
        template_fields["type"].store = True
    if release.is_favorite:
        template_fields["is_favorite"] = Boolean("Favorite")
        template_order = "is_favorite desc, name"
    else:
        template_fields["priority"] = Selection(
            [("0", "Normal"), ("1", "Favorite")], "Favorite", default="0"
        )
        template_order = "priority desc, name"

    related_names = [
        "name",
        "categ_id",
        "list_price",
        "type",
        "sale_ok",
        "purchase_ok",
        "uom_id",
        "company_id",
        "description",
        "description_sale",
        "currency_id",
        "sequence",
    ]
    related_names += [
        n
        for n in ("uom_po_id", "is_storable", "detailed_type", "is_favorite", "priority")
        if n in template_fields
    ]
    product_fields: dict[str, Field] = {
        "product_tmpl_id": Many2one("product.template", "Product Template", required=True),
        "default_code": Char("Internal Reference"),
        "barcode": Char("Barcode"),
        "active": Boolean("Active", default=True),
        "weight": Float("Weight"),
        "volume": Float("Volume"),
        "standard_price": Float("Cost"),
        "product_template_attribute_value_ids": Many2many(
            "product.template.attribute.value", "Attribute Values"
        ),
        "combination_indices": Char("Combination Indices"),
        "price_extra": Float("Variant Price Extra", store=False, compute=_price_extra),
        "lst_price": Float("Sales Price", store=False, compute=_lst_price),
        "qty_available": Float(
            "Quantity On Hand", store=False, search=True, compute=_qty_available
        ),
        "free_qty": Float(
            "Free To Use Quantity",
            store=False,
            search=True,
            compute=lambda db, r: _qty_available(db, r) - _reserved(db, r),
        ),
        "incoming_qty": Float("Incoming", store=False, search=True, compute=_incoming_qty),
        "outgoing_qty": Float("Outgoing", store=False, search=True, compute=_outgoing_qty),
        "virtual_available": Float(
            "Forecasted Quantity",
            store=False,
            search=True,
            compute=lambda db, r: (
                _qty_available(db, r) + _incoming_qty(db, r) - _outgoing_qty(db, r)
            ),
        ),
        "stock_quant_ids": One2many("stock.quant", "product_id", "Quants"),
        "is_kits": Boolean(
            "Kits", store=False, search=True, compute=lambda db, r: _kit_bom(db, r) is not None
        ),
    }
    for name in related_names:
        product_fields[name] = Related(f"product_tmpl_id.{name}", inherited=True)
    if release.is_favorite:
        product_order = (
            "is_favorite desc, default_code, name, id"
            if release.major == 18
            else "default_code, name, id"
        )
    else:
        product_order = "priority desc, default_code, name, id"

    return [
        *uom_models,
        Model("uom.uom", "Product Unit of Measure", uom_fields, order=uom_order),
        Model(
            "product.category",
            "Product Category",
            {
                "name": Char("Name", required=True),
                "complete_name": Char(
                    "Complete Name", compute=_path_display("product.category", "parent_id", " / ")
                ),
                "parent_id": Many2one("product.category", "Parent Category"),
                "child_id": One2many("product.category", "parent_id", "Child Categories"),
                "product_count": Integer(
                    "# Products",
                    store=False,
                    compute=lambda db, row: len(
                        db.children("product.template", "categ_id").get(row["id"], ())
                    ),
                ),
            },
            order="complete_name",
            rec_name="complete_name",
            parent_name="parent_id",
            display=_path_display("product.category", "parent_id", " / "),
        ),
        Model(
            "product.attribute",
            "Product Attribute",
            {
                "name": Char("Attribute", required=True, translate=True),
                "sequence": Integer("Sequence"),
                "create_variant": Selection(
                    [("always", "Instantly"), ("dynamic", "Dynamically"), ("no_variant", "Never")],
                    "Variants Creation Mode",
                    default="always",
                ),
                "display_type": Selection(
                    [
                        ("radio", "Radio"),
                        ("pills", "Pills"),
                        ("select", "Select"),
                        ("color", "Color"),
                    ],
                    "Display Type",
                    default="radio",
                ),
                "value_ids": One2many("product.attribute.value", "attribute_id", "Values"),
            },
            order="sequence, id",
        ),
        Model(
            "product.attribute.value",
            "Attribute Value",
            {
                "name": Char("Value", required=True, translate=True),
                "sequence": Integer("Sequence"),
                "attribute_id": Many2one("product.attribute", "Attribute", required=True),
                "html_color": Char("Color"),
            },
            order="attribute_id, sequence, id",
        ),
        Model(
            "product.template.attribute.line",
            "Product Template Attribute Line",
            {
                "active": Boolean("Active", default=True),
                "product_tmpl_id": Many2one("product.template", "Product Template", required=True),
                "sequence": Integer("Sequence", default=10),
                "attribute_id": Many2one("product.attribute", "Attribute", required=True),
                "value_ids": Many2many("product.attribute.value", "Values"),
                "product_template_value_ids": One2many(
                    "product.template.attribute.value",
                    "attribute_line_id",
                    "Product Attribute Values",
                ),
            },
            order="sequence, attribute_id, id",
            rec_name="attribute_id",
        ),
        Model(
            "product.template.attribute.value",
            "Product Template Attribute Value",
            {
                "ptav_active": Boolean("Active", default=True),
                "name": Related("product_attribute_value_id.name", "Value"),
                "product_attribute_value_id": Many2one(
                    "product.attribute.value", "Attribute Value", required=True
                ),
                "attribute_line_id": Many2one(
                    "product.template.attribute.line", "Attribute Line", required=True
                ),
                "price_extra": Float("Value Price Extra"),
                "product_tmpl_id": Related(
                    "attribute_line_id.product_tmpl_id", "Product Template", store=True
                ),
                "attribute_id": Related("attribute_line_id.attribute_id", "Attribute", store=True),
                "html_color": Related("product_attribute_value_id.html_color", "HTML Color Index"),
            },
            order="attribute_line_id, product_attribute_value_id, id",
            display=_ptav_display,
        ),
        Model("product.template", "Product", template_fields, order=template_order),
        Model(
            "product.product",
            "Product Variant",
            product_fields,
            order=product_order,
            display=_product_display,
        ),
    ]


def _sale_models(release: Release) -> list[Model]:
    if release.sale_locked:
        states = [
            ("draft", "Quotation"),
            ("sent", "Quotation Sent"),
            ("sale", "Sales Order"),
            ("cancel", "Cancelled"),
        ]
    else:
        states = [
            ("draft", "Quotation"),
            ("sent", "Quotation Sent"),
            ("sale", "Sales Order"),
            ("done", "Locked"),
            ("cancel", "Cancelled"),
        ]
    order_fields: dict[str, Field] = {
        "name": Char("Order Reference", required=True, default="New"),
        "state": Selection(states, "Status", default="draft"),
        "date_order": Datetime("Order Date", required=True),
        "validity_date": Date("Expiration"),
        "commitment_date": Datetime("Delivery Date"),
        "partner_id": Many2one("res.partner", "Customer", required=True),
        "partner_invoice_id": Many2one("res.partner", "Invoice Address"),
        "partner_shipping_id": Many2one("res.partner", "Delivery Address"),
        "order_line": One2many("sale.order.line", "order_id", "Order Lines"),
        "note": Html("Terms and conditions"),
        "amount_untaxed": Monetary("Untaxed Amount", readonly=True),
        "amount_tax": Monetary("Taxes", readonly=True),
        "amount_total": Monetary("Total", readonly=True),
        "client_order_ref": Char("Customer Reference"),
        "origin": Char("Source Document"),
        "currency_id": Many2one("res.currency", "Currency"),
        "company_id": Many2one("res.company", "Company", required=True),
        "user_id": Many2one("res.users", "Salesperson"),
    }
    if release.sale_locked:
        order_fields["locked"] = Boolean("Locked")
    uom_name, tax_name = release.line_field_names
    display_types = [("line_section", "Section"), ("line_note", "Note")]
    if release.major >= 19:
        display_types.insert(1, ("line_subsection", "Subsection"))
    product_type = "type" if release.is_storable else "detailed_type"
    line_fields: dict[str, Field] = {
        "order_id": Many2one("sale.order", "Order Reference", required=True),
        "sequence": Integer("Sequence", default=10),
        "product_id": Many2one("product.product", "Product"),
        "product_template_id": Many2one(
            "product.template",
            "Product Template",
            store=False,
            search=True,
            compute=lambda db, row: (
                db.value(
                    "product.product",
                    db.row("product.product", row.get("product_id")),
                    "product_tmpl_id",
                )
                if row.get("product_id")
                else None
            ),
        ),
        "name": Text("Description", required=True),
        "product_uom_qty": Float("Quantity", default=1.0),
        uom_name: Many2one("uom.uom", "Unit of Measure"),
        "price_unit": Float("Unit Price"),
        "discount": Float("Discount (%)"),
        "price_subtotal": Monetary("Subtotal", readonly=True),
        "price_tax": Float("Total Tax", readonly=True),
        "price_total": Monetary("Total", readonly=True),
        tax_name: Many2many("account.tax", "Taxes"),
        "qty_delivered": Float("Delivery Quantity"),
        "qty_invoiced": Float("Invoiced Quantity", readonly=True),
        "state": Related("order_id.state", "Order Status", store=True),
        "currency_id": Related("order_id.currency_id", "Currency", store=True),
        "company_id": Related("order_id.company_id", "Company", store=True),
        "order_partner_id": Related("order_id.partner_id", "Customer", store=True),
        "is_downpayment": Boolean("Is a down payment"),
        "display_type": Selection(display_types, "Display Type"),
        "product_type": Related(f"product_id.{product_type}", "Product Type"),
    }
    purchase_uom = "product_uom_id" if release.major >= 19 else "product_uom"
    return [
        Model(
            "account.tax",
            "Tax",
            {
                "name": Char("Tax Name", required=True),
                "amount": Float("Amount"),
                "amount_type": Selection(
                    [("percent", "Percentage of Price"), ("fixed", "Fixed")], "Tax Computation"
                ),
                "type_tax_use": Selection(
                    [("sale", "Sales"), ("purchase", "Purchases"), ("none", "None")], "Tax Type"
                ),
                "sequence": Integer("Sequence", default=1),
                "company_id": Many2one("res.company", "Company"),
                "active": Boolean("Active", default=True),
            },
            order="sequence,id",
        ),
        Model("sale.order", "Sales Order", order_fields, order="date_order desc, id desc"),
        Model(
            "sale.order.line",
            "Sales Order Line",
            line_fields,
            order="order_id, sequence, id",
            display=_line_display,
        ),
        Model(
            "purchase.order",
            "Purchase Order",
            {
                "name": Char("Order Reference", required=True, default="New"),
                "priority": Selection([("0", "Normal"), ("1", "Urgent")], "Priority", default="0"),
                "state": Selection(
                    [
                        ("draft", "RFQ"),
                        ("sent", "RFQ Sent"),
                        ("to approve", "To Approve"),
                        ("purchase", "Purchase Order"),
                        ("done", "Locked"),
                        ("cancel", "Cancelled"),
                    ],
                    "Status",
                    default="draft",
                ),
                "partner_id": Many2one("res.partner", "Vendor", required=True),
                "date_order": Datetime("Order Deadline", required=True),
                "date_planned": Datetime("Expected Arrival"),
                "order_line": One2many("purchase.order.line", "order_id", "Order Lines"),
                "amount_total": Monetary("Total", readonly=True),
                "currency_id": Many2one("res.currency", "Currency"),
                "company_id": Many2one("res.company", "Company", required=True),
            },
            order="priority desc, id desc",
        ),
        Model(
            "purchase.order.line",
            "Purchase Order Line",
            {
                "order_id": Many2one("purchase.order", "Order Reference", required=True),
                "sequence": Integer("Sequence", default=10),
                "name": Text("Description", required=True),
                "product_id": Many2one("product.product", "Product"),
                "product_qty": Float("Quantity"),
                "qty_received": Float("Received Qty"),
                purchase_uom: Many2one("uom.uom", "Unit of Measure"),
                "price_unit": Float("Unit Price"),
                "price_subtotal": Monetary("Subtotal", readonly=True),
                "date_planned": Datetime("Expected Arrival"),
                "state": Related("order_id.state", "Status", store=True),
                "partner_id": Related("order_id.partner_id", "Partner", store=True),
                "display_type": Selection(
                    [("line_section", "Section"), ("line_note", "Note")], "Display Type"
                ),
            },
            order="order_id, sequence, id",
        ),
    ]


def _stock_models(release: Release) -> list[Model]:
    start_field = "date_start" if release.major >= 17 else "date_planned_start"
    finish_field = "date_finished" if release.major >= 17 else "date_planned_finished"
    return [
        Model(
            "stock.location",
            "Inventory Locations",
            {
                "name": Char("Location Name", required=True),
                "complete_name": Char(
                    "Full Location Name",
                    compute=_path_display("stock.location", "location_id", "/"),
                ),
                "location_id": Many2one("stock.location", "Parent Location"),
                "child_ids": One2many("stock.location", "location_id", "Contains"),
                "usage": Selection(
                    [
                        ("supplier", "Vendor Location"),
                        ("view", "View"),
                        ("internal", "Internal Location"),
                        ("customer", "Customer Location"),
                        ("inventory", "Inventory Loss"),
                        ("production", "Production"),
                        ("transit", "Transit Location"),
                    ],
                    "Location Type",
                    required=True,
                    default="internal",
                ),
                "company_id": Many2one("res.company", "Company"),
                "active": Boolean("Active", default=True),
            },
            order="complete_name, id",
            rec_name="complete_name",
            parent_name="location_id",
            display=_path_display("stock.location", "location_id", "/"),
        ),
        Model(
            "stock.warehouse",
            "Warehouse",
            {
                "name": Char("Warehouse", required=True),
                "code": Char("Short Name", required=True),
                "lot_stock_id": Many2one("stock.location", "Location Stock"),
                "view_location_id": Many2one("stock.location", "View Location"),
                "company_id": Many2one("res.company", "Company", required=True),
                "partner_id": Many2one("res.partner", "Address"),
                "active": Boolean("Active", default=True),
                "sequence": Integer("Sequence"),
            },
            order="sequence,id",
        ),
        Model(
            "stock.quant",
            "Quants",
            {
                "product_id": Many2one("product.product", "Product", required=True),
                "location_id": Many2one("stock.location", "Location", required=True),
                "quantity": Float("Quantity", readonly=True),
                "reserved_quantity": Float("Reserved Quantity", readonly=True),
                "available_quantity": Float(
                    "Available Quantity",
                    store=False,
                    compute=lambda db, row: (
                        (row.get("quantity") or 0.0) - (row.get("reserved_quantity") or 0.0)
                    ),
                ),
                "inventory_quantity": Float("Counted Quantity"),
                "in_date": Datetime("Incoming Date", readonly=True),
                "product_uom_id": Related("product_id.uom_id", "Unit of Measure"),
                "product_tmpl_id": Related("product_id.product_tmpl_id", "Product Template"),
                "company_id": Related("location_id.company_id", "Company", store=True),
            },
            order="id",
            display=lambda db, row: _name_of(db, "stock.location", row.get("location_id")),
        ),
        Model(
            "mrp.production",
            "Production Order",
            {
                "name": Char("Reference", required=True, default="New"),
                "priority": Selection([("0", "Normal"), ("1", "Urgent")], "Priority", default="0"),
                "origin": Char("Source"),
                "product_id": Many2one("product.product", "Product", required=True),
                "product_qty": Float("Quantity To Produce", default=1.0),
                "product_uom_id": Many2one("uom.uom", "Product Unit of Measure"),
                "qty_producing": Float("Quantity Producing"),
                "state": Selection(
                    [
                        ("draft", "Draft"),
                        ("confirmed", "Confirmed"),
                        ("progress", "In Progress"),
                        ("to_close", "To Close"),
                        ("done", "Done"),
                        ("cancel", "Cancelled"),
                    ],
                    "State",
                    default="draft",
                ),
                start_field: Datetime("Start", required=True),
                finish_field: Datetime("End"),
                "company_id": Many2one("res.company", "Company", required=True),
                "bom_id": Many2one("mrp.bom", "Bill of Material"),
            },
            order=f"priority desc, {start_field} asc,id",
        ),
        Model(
            "mrp.bom",
            "Bill of Material",
            {
                "product_tmpl_id": Many2one("product.template", "Product", required=True),
                "product_id": Many2one("product.product", "Product Variant"),
                "product_qty": Float("Quantity", default=1.0),
                "type": Selection(
                    [("normal", "Manufacture this product"), ("phantom", "Kit")],
                    "BoM Type",
                    default="normal",
                ),
                "bom_line_ids": One2many("mrp.bom.line", "bom_id", "BoM Lines"),
                "active": Boolean("Active", default=True),
                "company_id": Many2one("res.company", "Company"),
            },
            order="id",
            rec_name="product_tmpl_id",
        ),
        Model(
            "mrp.bom.line",
            "Bill of Material Line",
            {
                "bom_id": Many2one("mrp.bom", "Parent BoM", required=True),
                "product_id": Many2one("product.product", "Component", required=True),
                "product_qty": Float("Quantity", default=1.0),
            },
            rec_name="product_id",
        ),
    ]


def _ir_model(release: Release) -> Model:
    fields = {
        "name": Char("Model Description", required=True),
        "model": Char("Model", required=True),
        "info": Text("Information"),
        "state": Selection(
            [("manual", "Custom Object"), ("base", "Base Object")], "Type", default="base"
        ),
        "transient": Boolean("Transient Model"),
        "modules": Char(
            "In Apps", store=False, compute=lambda db, row: row.get("module") or "base"
        ),
        "module": Char("Module"),
    }
    if release.major >= 19:
        fields["abstract"] = Boolean("Abstract Model")
    return Model("ir.model", "Models", fields, order="model")
