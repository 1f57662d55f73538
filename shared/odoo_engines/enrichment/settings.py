"""The enrichment engine's settings: the `enrich` function's API key, alert and review
thresholds, categories and LLM resilience."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.errors import ConfigError
from ..core.settings import Env

DEFAULT_CATEGORIES = (
    "Electronics",
    "Computers & Accessories",
    "Office Supplies",
    "Furniture",
    "Home & Kitchen",
    "Tools & Hardware",
    "Clothing & Accessories",
    "Health & Beauty",
    "Food & Beverages",
    "Sports & Outdoors",
    "Toys & Games",
    "Books & Media",
)


@dataclass(frozen=True)
class EnrichmentSettings:
    """The `enrich` function: API key, alert and review thresholds, LLM resilience."""

    api_key: str | None = field(default=None, repr=False)
    low_stock_threshold: int = 10
    review_threshold: float = 0.5
    default_categories: tuple[str, ...] = DEFAULT_CATEGORIES
    description_max_length: int = 600
    max_body_bytes: int = 16 * 1024
    llm_attempts: int = 3
    llm_backoff_seconds: float = 1.0
    breaker_failures: int = 5
    breaker_open_seconds: float = 60.0


def load_enrichment_settings(env: Mapping[str, str] | None = None) -> EnrichmentSettings:
    """Read the enrichment settings from `env` (default: the process environment)."""
    e = Env.of(env)
    categories = tuple(
        c.strip() for c in (e.str("ENRICH_CATEGORIES") or "").split(",") if c.strip()
    )
    review = e.float("ENRICH_REVIEW_THRESHOLD", 0.5)
    if review > 1:
        raise ConfigError(f"ENRICH_REVIEW_THRESHOLD must be at most 1, got {review}")
    return EnrichmentSettings(
        api_key=e.str("ENRICH_API_KEY"),
        low_stock_threshold=e.int("ENRICH_LOW_STOCK_THRESHOLD", 10, minimum=1),
        review_threshold=review,
        default_categories=categories or DEFAULT_CATEGORIES,
        description_max_length=e.int("ENRICH_DESCRIPTION_MAX_LENGTH", 600, minimum=40),
        max_body_bytes=e.int("ENRICH_MAX_BODY_BYTES", 16 * 1024, minimum=256),
        llm_attempts=e.int("ENRICH_LLM_ATTEMPTS", 3, minimum=1),
        llm_backoff_seconds=e.float("ENRICH_LLM_BACKOFF_SECONDS", 1.0),
        breaker_failures=e.int("ENRICH_BREAKER_FAILURES", 5, minimum=1),
        breaker_open_seconds=e.float("ENRICH_BREAKER_OPEN_SECONDS", 60.0),
    )
