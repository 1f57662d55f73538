"""A company's day in Odoo, done through RPC as its people would: against real Odoo or the sandbox.

`Shop` wraps an admin `OdooClient` with the few business actions the engines react to
(create products and variants, count stock, define a kit, confirm, edit and cancel
orders, translate a name), each the way Odoo's UI does it on that version (a storable
product is `type='product'` on 17 and `is_storable` from 18; the user's groups field is
`groups_id` up to 18 and `group_ids` on 19). `seed` builds the real templates' company.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from odoo_engines.odoo import OdooClient

# What an integration user gets: internal user, Sales "All documents", Inventory "User".
INTEGRATION_GROUPS = {
    "sales": ["base.group_user", "sales_team.group_sale_salesman_all_leads"],
    "full": ["base.group_user", "sales_team.group_sale_salesman_all_leads",
             "stock.group_stock_user"],
}  # fmt: skip


class Shop:
    """Business actions on one database, as its administrator."""

    def __init__(self, client: OdooClient):
        self.client = client
        self.major = client.version.major

    def execute(self, model: str, method: str, *args, **kwargs):
        return self.client.execute(model, method, *args, **kwargs)

    # -- reference data --------------------------------------------------------------
    def ref(self, xmlid: str) -> int:
        """The id of a record by its external id (`module.name`)."""
        module, name = xmlid.split(".", 1)
        rows = self.client.search_read(
            "ir.model.data", [["module", "=", module], ["name", "=", name]], ["res_id"]
        )
        if not rows:
            raise LookupError(f"no record {xmlid}")
        return rows[0]["res_id"]

    def has(self, model: str) -> bool:
        return self.client.installed(model)

    @property
    def groups_field(self) -> str:
        return "group_ids" if self.major >= 19 else "groups_id"

    def set_groups(self, user_id: int, xmlids: Iterable[str]) -> None:
        ids = [self.ref(x) for x in xmlids]
        self.execute("res.users", "write", [user_id], {self.groups_field: [(6, 0, ids)]})

    def activate_language(self, code: str) -> None:
        """Make `code` an active language (no translation files needed)."""
        ids = self.client.search("res.lang", [["code", "=", code]],
                                 context={"active_test": False})  # fmt: skip
        if not ids:
            raise LookupError(f"Odoo knows no language {code}")
        self.execute("res.lang", "write", ids, {"active": True})

    def set_language(self, user_id: int, code: str) -> None:
        self.execute("res.users", "write", [user_id], {"lang": code})

    def translate(self, model: str, record_id: int, values: dict, lang: str) -> None:
        """Write `values` as a person working in `lang` would (the other languages keep theirs)."""
        self.execute(model, "write", [record_id], values, context={"lang": lang})

    # -- catalogue -------------------------------------------------------------------
    def storable(self, storable: bool = True) -> dict:
        """The product type values of a storable (or consumable) good on this version.

        Without Inventory nothing is storable: every good is a consumable.
        """
        if not self.has("stock.quant"):
            return {"type": "consu"}
        if self.major >= 18:
            return {"type": "consu", "is_storable": storable}
        return {"type": "product" if storable else "consu"}

    def category(self, name: str) -> int:
        found = self.client.search("product.category", [["name", "=", name]], limit=1)
        return found[0] if found else self.execute("product.category", "create", {"name": name})

    def product(self, name: str, code: str | None = None, price: float = 10.0,
                storable: bool = True, **values) -> int:  # fmt: skip
        """A single-variant product; its `product.product` id."""
        template = self.execute("product.template", "create", {
            "name": name, "default_code": code or False, "list_price": price,
            "sale_ok": True, "purchase_ok": True, **self.storable(storable), **values,
        })  # fmt: skip
        return self.variants(template)[0]

    def service(self, name: str, code: str, price: float = 50.0) -> int:
        template = self.execute("product.template", "create", {
            "name": name, "default_code": code, "list_price": price, "type": "service",
        })  # fmt: skip
        return self.variants(template)[0]

    def variants(self, template_id: int) -> list[int]:
        return self.client.search(
            "product.product", [["product_tmpl_id", "=", template_id]], order="id"
        )

    def product_with_variants(self, name: str, attribute: str, values: Sequence[str],
                              price: float = 20.0) -> list[int]:  # fmt: skip
        """A template with one variant per value of `attribute`; the variants' ids."""
        attribute_id = self.execute("product.attribute", "create", {
            "name": attribute, "create_variant": "always",
            "value_ids": [(0, 0, {"name": v}) for v in values],
        })  # fmt: skip
        value_ids = self.client.search(
            "product.attribute.value", [["attribute_id", "=", attribute_id]], order="id"
        )
        template = self.execute("product.template", "create", {
            "name": name, "list_price": price, "sale_ok": True, **self.storable(True),
            "attribute_line_ids": [(0, 0, {"attribute_id": attribute_id,
                                           "value_ids": [(6, 0, value_ids)]})],
        })  # fmt: skip
        return self.variants(template)

    def template_of(self, product_id: int) -> int:
        row = self.client.read("product.product", [product_id], ["product_tmpl_id"])[0]
        return row["product_tmpl_id"][0]

    def kit(self, name: str, code: str, components: dict[int, float]) -> int:
        """A product sold as a kit (a phantom bill of materials) of `components`."""
        product_id = self.product(name, code, price=99.0, storable=False)
        self.execute("mrp.bom", "create", {
            "product_tmpl_id": self.template_of(product_id), "type": "phantom",
            "product_qty": 1.0,
            "bom_line_ids": [(0, 0, {"product_id": pid, "product_qty": qty})
                             for pid, qty in components.items()],
        })  # fmt: skip
        return product_id

    def stock_location(self) -> int:
        warehouse = self.client.search_read("stock.warehouse", [], ["lot_stock_id"], limit=1)
        return warehouse[0]["lot_stock_id"][0]

    def set_stock(self, product_id: int, quantity: float) -> None:
        """Count `quantity` on hand, as an inventory adjustment applied in Odoo's UI."""
        context = {"inventory_mode": True}
        location = self.stock_location()
        quant = self.execute("stock.quant", "create", {
            "product_id": product_id, "location_id": location,
            "inventory_quantity": quantity,
        }, context=context)  # fmt: skip
        self.execute("stock.quant", "action_apply_inventory", [quant], context=context)

    def on_hand(self, product_id: int) -> float:
        return self.client.read("product.product", [product_id], ["qty_available"])[0][
            "qty_available"
        ]

    # -- people and orders -----------------------------------------------------------
    def customer(self, name: str, **values) -> int:
        return self.execute("res.partner", "create", {"name": name, **values})

    def order(self, partner_id: int, lines: Sequence[tuple[int, float]], *,
              confirm: bool = True, when: datetime | None = None) -> int:  # fmt: skip
        """A sales order of `(product_id, quantity)` lines, confirmed unless told."""
        order = self.execute("sale.order", "create", {
            "partner_id": partner_id,
            "order_line": [(0, 0, {"product_id": pid, "product_uom_qty": qty})
                           for pid, qty in lines],
        })  # fmt: skip
        if confirm:
            self.execute("sale.order", "action_confirm", [order])
        if when is not None:  # confirming stamps the date; a back-dated order is written after
            self.execute("sale.order", "write", [order],
                         {"date_order": when.strftime("%Y-%m-%d %H:%M:%S")})  # fmt: skip
        return order

    def cancel(self, order_id: int) -> None:
        """Cancel an order, past the warning Odoo shows for a confirmed one."""
        self.execute("sale.order", "action_cancel", [order_id],
                     context={"disable_cancel_warning": True})  # fmt: skip

    def set_quantity(self, order_id: int, product_id: int, quantity: float) -> None:
        line = self.client.search("sale.order.line", [["order_id", "=", order_id],
                                                      ["product_id", "=", product_id]])  # fmt: skip
        self.execute("sale.order.line", "write", line, {"product_uom_qty": quantity})

    def user(self, login: str) -> int:
        return self.client.search("res.users", [["login", "=", login]])[0]


def seed(url: str, database: str, series: str, apps: str, keys: dict[str, str]) -> dict:
    """The templates' company: catalogue, customers, 26 months of orders, people.

    `full` also counts stock, defines a kit and works in Spanish (the integration user's
    language is es_CL); `sales` has Sales only. Returns the ids tests look up by name.
    """
    with OdooClient(url, database, "admin", keys["admin"], timeout=120) as client:
        shop = Shop(client)
        facts: dict = {"apps": apps, "series": series}
        integration = shop.user("integration")
        facts["integration_uid"] = integration
        shop.set_groups(integration, INTEGRATION_GROUPS[apps])
        if apps == "full":
            shop.activate_language("es_CL")
            shop.set_language(integration, "es_CL")
        chairs = shop.product_with_variants("Office Chair", "Color", ["Black", "Red", "Blue"])
        for pid, code in zip(chairs, ("CHAIR-BLK", "CHAIR-RED", "CHAIR-BLU"), strict=True):
            client.execute("product.product", "write", [pid], {"default_code": code})
        desk = shop.product("Standing Desk", "DESK-01", price=450.0,
                            categ_id=shop.category("Furniture"))  # fmt: skip
        lamp = shop.product("Desk Lamp", "LAMP-01", price=35.0)
        cable = shop.product("USB Cable", "CABLE-01", price=5.0, storable=False)
        install = shop.service("Installation", "SRV-INSTALL")
        facts["products"] = {"CHAIR-BLK": chairs[0], "CHAIR-RED": chairs[1],
                             "CHAIR-BLU": chairs[2], "DESK-01": desk, "LAMP-01": lamp,
                             "CABLE-01": cable, "SRV-INSTALL": install}  # fmt: skip
        if apps == "full":
            for pid, qty in ((chairs[0], 40), (chairs[1], 12), (desk, 8), (lamp, 100)):
                shop.set_stock(pid, qty)
            kit = shop.kit("Office Set", "KIT-OFFICE", {desk: 1, lamp: 2})
            facts["products"]["KIT-OFFICE"] = kit
            shop.translate("product.template", shop.template_of(desk),
                           {"name": "Escritorio de pie"}, "es_CL")  # fmt: skip
        customers = [shop.customer(n, email=f"{n.split()[0].lower()}@example.com")
                     for n in ("Acme Ltda", "Globex SpA", "Initech SA")]  # fmt: skip
        facts["customers"] = customers
        today = datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        catalogue = [chairs[0], chairs[1], desk, lamp, cable]
        orders = []
        for month in range(26, 0, -1):
            when = today - timedelta(days=30 * month)
            for n in range(2):
                lines = [(catalogue[(month + n) % 5], 1 + (month * 3 + n) % 7),
                         (catalogue[(month + n + 2) % 5], 1 + n)]  # fmt: skip
                orders.append(shop.order(customers[(month + n) % 3], lines, when=when))
        shop.set_quantity(orders[-1], catalogue[(1 + 1) % 5], 9)  # an edited order
        shop.cancel(orders[-2])  # a cancelled one
        facts["orders"] = orders
        facts["cancelled"] = [orders[-2]]
        return facts
