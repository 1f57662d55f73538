"""Odoo record values as Python: text fields, many2one pairs and a variant's SKU.

Odoo returns `false` for an unset value, `[id, "display name"]` for a many2one and HTML
for some text fields, in every version 16–19. The product and sales engines both read
products, so both take a SKU from `sku_for`: a SKU in `sales_items` is the SKU of the
`products` table.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from ..core.db import storable_text


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"):
            self.parts.append(" ")


def plain_text(value: Any) -> str:
    """Text of an Odoo Char/Text/Html value: `false` → "", tags removed, spaces folded."""
    if not value or not isinstance(value, str):
        return ""
    value = storable_text(value)[0]
    if "<" in value and ">" in value:
        parser = _TextOnly()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    else:
        value = html.unescape(value)
    return " ".join(value.split())


def many2one(value: Any) -> tuple[int | None, str | None]:
    """`[id, "display name"]` or `false` → (id, name)."""
    if isinstance(value, list | tuple) and value:
        name = storable_text(str(value[1]))[0] if len(value) > 1 and value[1] else None
        return int(value[0]), name
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, None


def sku_for(record: dict[str, Any], odoo_db: str) -> str:
    """The variant's internal reference, or `ODOO-{db}-{id}` when it has none."""
    code = plain_text(record.get("default_code"))
    return code[:100] if code else f"ODOO-{odoo_db}-{record['id']}"
