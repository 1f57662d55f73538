"""Odoo records → the seed's webhook payload, with the seed's mapping made right."""

import pytest

from odoo_engines.orders.payload import (
    CANCELLED,
    Related,
    Source,
    encode,
    iso_utc,
    note_text,
    order_payload,
    ping_payload,
    to_cents,
)

SOURCE = Source("c0ffee", "store_xyz", "client_xyz", "acme")


def _order(**changes):
    order = {
        "id": 42,
        "name": "S00042",
        "state": "sale",
        "date_order": "2025-01-15 10:30:00",
        "write_date": "2025-01-15 10:31:02",
        "partner_id": [7, "Juan Pérez"],
        "partner_shipping_id": [8, "Juan Pérez, Depto"],
        "order_line": [101, 102, 103, 104, 105],
        "note": "<p>Nota interna<br>segunda línea</p>",
        "amount_total": 59900.0,
        "client_order_ref": "REF-CLIENTE-001",
    }
    order.update(changes)
    return order


def _related(**partner_changes):
    customer = {
        "id": 7,
        "name": "Juan Pérez",
        "phone": "+5622222222",
        "mobile": "+56912345678",
        "email": "juan@example.com",
        "street": "Casa Matriz 1",
        "street2": False,
        "city": "Santiago",
        "state_id": [13, "Región Metropolitana (CL)"],
        "zip": "8320000",
        "country_id": [46, "Chile"],
        "sale_order_count": 5,
    }
    customer.update(partner_changes)
    shipping = {
        "id": 8,
        "name": "Juan Pérez",
        "phone": False,
        "mobile": False,
        "email": False,
        "street": "Av. Providencia 1234",
        "street2": "Depto 502",
        "city": "Providencia",
        "state_id": [13, "Región Metropolitana (CL)"],
        "zip": "7500000",
        "country_id": [46, "Chile"],
        "sale_order_count": 0,
    }
    return Related(
        lines={
            101: {
                "id": 101,
                "product_id": [501, "[PROD-001] Perfume El Testigo (50ml, Rojo)"],
                "name": "[PROD-001] Perfume El Testigo\nEdición limitada",
                "product_uom_qty": 2.0,
                "price_unit": 29.95,
                "display_type": False,
            },
            102: {
                "id": 102,
                "product_id": False,
                "name": "Regalos",
                "product_uom_qty": 0.0,
                "price_unit": 0.0,
                "display_type": "line_section",
            },
            103: {
                "id": 103,
                "product_id": False,
                "name": "Envolver para regalo",
                "product_uom_qty": 0.0,
                "price_unit": 0.0,
                "display_type": "line_note",
            },
            104: {
                "id": 104,
                "product_id": [502, "Caja"],
                "name": "Caja",
                "product_uom_qty": 0.0,
                "price_unit": 1.0,
                "display_type": False,
            },
            105: {
                "id": 105,
                "product_id": [503, "Vela"],
                "name": "Vela aromática\nlarga",
                "product_uom_qty": 1.5,
                "price_unit": 0.285,
                "display_type": False,
            },
        },
        partners={7: customer, 8: shipping},
        products={
            501: {
                "id": 501,
                "default_code": "PROD-001",
                "name": "Perfume El Testigo - Edición Limitada",
                "barcode": False,
                "product_template_attribute_value_ids": [901, 902],
            },
            502: {
                "id": 502,
                "default_code": False,
                "name": "Caja",
                "barcode": False,
                "product_template_attribute_value_ids": [],
            },
            503: {
                "id": 503,
                "default_code": False,
                "name": "Vela aromática",
                "barcode": False,
                "product_template_attribute_value_ids": [],
            },
        },
        ptavs={
            901: {"id": 901, "name": "50ml", "attribute_id": [3, "Tamaño"]},
            902: {"id": 902, "name": "Rojo", "attribute_id": [4, "Color"]},
        },
        states={13: {"id": 13, "name": "Región Metropolitana"}},
        countries={46: {"id": 46, "code": "CL"}},
    )


def test_payload_has_the_seeds_shape_and_values():
    payload = order_payload(_order(), _related(), SOURCE)
    assert payload["event"] == "order.confirmed"
    assert payload["external_id"] == "odoo_acme_42"
    assert payload["source"] == {
        "platform": "ODOO",
        "connection_id": "c0ffee",
        "store_id": "store_xyz",
        "client_id": "client_xyz",
    }
    assert payload["order"] == {
        "platform_order_id": "42",
        "platform_order_number": "S00042",
        "date_order": "2025-01-15T10:30:00Z",
        "financial_status": "paid",
        "note": "Nota interna\nsegunda línea",
        "client_order_ref": "REF-CLIENTE-001",
        "amount_total": 5990000,
        "tags": [],
        "platform_attributes": {"odoo_state": "sale", "client_order_ref": "REF-CLIENTE-001"},
    }
    assert payload["customer"] == {
        "name": "Juan Pérez",
        "phone": "+56912345678",
        "email": "juan@example.com",
        "orders_count": 5,
    }


def test_shipping_address_uses_state_name_and_country_code_not_display_names():
    address = order_payload(_order(), _related(), SOURCE)["shipping_address"]
    assert address == {
        "name": "Juan Pérez",
        "address1": "Av. Providencia 1234",
        "address2": "Depto 502",
        "city": "Providencia",
        "province": "Región Metropolitana",
        "zip": "7500000",
        "country": "CL",
        "phone": "+56912345678",  # the delivery address has none: the customer's
    }


def test_items_drop_sections_notes_and_zero_quantities():
    items = order_payload(_order(), _related(), SOURCE)["items"]
    assert [i["sku"] for i in items] == ["PROD-001", "ODOO-acme-503"]
    assert items[0] == {
        "sku": "PROD-001",
        "name": "Perfume El Testigo - Edición Limitada",
        "variant_name": "Tamaño: 50ml, Color: Rojo",
        "quantity": 2,
        "price_cents": 2995,
    }
    assert items[1]["variant_name"] is None
    assert items[1]["quantity"] == 1.5
    assert items[1]["price_cents"] == 29  # 28.5 cents rounds half up


@pytest.mark.parametrize(
    ("amount", "cents"),
    [(29.95, 2995), (0.285, 29), (1.005, 101), (19.99, 1999), (-4.35, -435), (0, 0), (None, 0)],
)
def test_cents_use_decimal_rounding(amount, cents):
    assert to_cents(amount) == cents


def test_cents_are_right_where_the_seeds_int_times_100_loses_one():
    assert int(19.99 * 100) == 1998  # the seed's formula, on a float product
    assert to_cents(19.99) == 1999


def test_phone_falls_back_to_phone_when_mobile_is_absent_as_in_odoo_19():
    related = _related()
    for partner in related.partners.values():
        partner.pop("mobile")
    payload = order_payload(_order(), related, SOURCE)
    assert payload["customer"]["phone"] == "+5622222222"
    assert payload["shipping_address"]["phone"] == "+5622222222"


def test_phone_falls_back_when_mobile_is_empty():
    payload = order_payload(_order(), _related(mobile=False), SOURCE)
    assert payload["customer"]["phone"] == "+5622222222"


def test_orders_count_is_null_when_odoo_does_not_expose_it():
    related = _related()
    related.partners[7].pop("sale_order_count")
    assert order_payload(_order(), related, SOURCE)["customer"]["orders_count"] is None


def test_unset_odoo_values_become_null_not_false():
    order = _order(note="<p><br></p>", client_order_ref=False, partner_shipping_id=False)
    payload = order_payload(order, _related(email=False, state_id=False), SOURCE)
    assert payload["order"]["note"] is None
    assert payload["order"]["client_order_ref"] is None
    assert payload["customer"]["email"] is None
    # no shipping partner: the customer's own address
    assert payload["shipping_address"]["address1"] == "Casa Matriz 1"
    assert payload["shipping_address"]["province"] is None


def test_product_without_name_falls_back_to_the_lines_first_line():
    related = _related()
    related.products[503]["name"] = False
    items = order_payload(_order(), related, SOURCE)["items"]
    assert items[1]["name"] == "Vela aromática"


def test_cancelled_event_has_the_same_shape():
    confirmed = order_payload(_order(), _related(), SOURCE)
    cancelled = order_payload(_order(state="cancel"), _related(), SOURCE, CANCELLED)
    assert cancelled["event"] == "order.cancelled"
    assert cancelled.keys() == confirmed.keys()
    assert cancelled["order"]["platform_attributes"]["odoo_state"] == "cancel"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-15 10:30:00", "2025-01-15T10:30:00Z"),
        ("2025-01-15 10:30:00.123456", "2025-01-15T10:30:00Z"),
        (False, None),
    ],
)
def test_dates_are_iso_utc_with_z(value, expected):
    assert iso_utc(value) == expected


def test_note_text_unescapes_entities_and_drops_empty_markup():
    assert note_text("<p>Entregar &amp; llamar</p><ul><li>uno</li><li>dos</li></ul>") == (
        "Entregar & llamar\nuno\ndos"
    )
    assert note_text("<p><br></p>") is None


def test_encode_is_compact_utf8_in_key_order():
    body = encode(order_payload(_order(), _related(), SOURCE))
    assert body.startswith('{"event":"order.confirmed","external_id":"odoo_acme_42"')
    assert "Pérez" in body


def test_ping_names_the_source_and_no_order():
    ping = ping_payload(SOURCE)
    assert ping["event"] == "ping"
    assert ping["source"]["connection_id"] == "c0ffee"
    assert ping["sent_at"].endswith("Z")
    assert "order" not in ping
