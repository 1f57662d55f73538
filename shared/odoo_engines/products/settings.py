"""What a product sync reads from the settings: the products engine's slice."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.settings import Settings


@dataclass(frozen=True)
class ProductSettings:
    """How to sync: from scratch (`full`), in pages of `page_size`, within `time_budget` s."""

    full: bool = False
    page_size: int = 500
    time_budget: float = 480.0


def load_product_settings(settings: Settings, full: bool | None = None) -> ProductSettings:
    """The slice of `settings` (FORCE_FULL_SYNC, ODOO_PAGE_SIZE, TIME_BUDGET_SECONDS);
    `full` overrides FORCE_FULL_SYNC."""
    return ProductSettings(
        full=settings.force_full_sync if full is None else full,
        page_size=settings.odoo.page_size,
        time_budget=settings.time_budget_seconds,
    )
