"""Units of measure: a quantity sold by the dozen counts as twelve units of demand.

Odoo 16–18 keep `uom.uom.factor` as "reference units per this unit, inverted" (a dozen
has factor 1/12) inside a `uom.category`. Odoo 19 drops categories and stores
`relative_factor` ("contains", 12 for a dozen) relative to `relative_uom_id`, and its
`factor` becomes the absolute quantity (12): the same field name with the opposite
meaning. So the size of a unit is read from `relative_factor` along its chain when
that field exists, else as `1 / factor`.
"""

from __future__ import annotations

from typing import Any

from ..core.logging import get_logger
from ..odoo import OdooClient, many2one

log = get_logger("units")


class Units:
    """Sizes of Odoo's units of measure, read once (one call) on first use."""

    def __init__(self, client: OdooClient):
        self.client = client
        self._size: dict[int, float] | None = None

    def sizes(self) -> dict[int, float]:
        """Reference units per unit, by uom id."""
        if self._size is None:
            fields = self.client.existing_fields(
                "uom.uom", ["factor", "relative_factor", "relative_uom_id"]
            )
            rows = self.client.search_read("uom.uom", [], fields, context={"active_test": False})
            self._size = _sizes(rows, "relative_factor" in fields)
        return self._size

    def convert(self, quantity: float, from_uom: int | None, to_uom: int | None) -> float:
        """`quantity` in `from_uom` expressed in `to_uom` (unchanged when either is unknown)."""
        if not from_uom or not to_uom or from_uom == to_uom:
            return quantity
        sizes = self.sizes()
        if from_uom not in sizes or to_uom not in sizes:
            log.warning("unknown_uom", from_uom=from_uom, to_uom=to_uom)
            return quantity
        return quantity * sizes[from_uom] / sizes[to_uom]


def _sizes(rows: list[dict[str, Any]], relative: bool) -> dict[int, float]:
    if not relative:
        return {r["id"]: 1.0 / r["factor"] for r in rows if r.get("factor")}
    by_id = {r["id"]: r for r in rows}
    sizes: dict[int, float] = {}

    def size(uom_id: int, depth: int = 0) -> float:
        if uom_id not in sizes:
            row = by_id[uom_id]
            parent, _ = many2one(row.get("relative_uom_id"))
            own = row.get("relative_factor") or 1.0
            inherited = (
                size(parent, depth + 1)
                if parent is not None and parent in by_id and depth < 20
                else 1.0
            )
            sizes[uom_id] = own * inherited
        return sizes[uom_id]

    for uom_id in by_id:
        size(uom_id)
    return sizes
