"""The seed's Python entry point, for scripts that called it:

    from . import ProductsSyncEngine
    results = ProductsSyncEngine(use_test_odoo=False).run_sync()
    if results["success"]: print(results["products_processed"], results["embeddings_generated"])
    else: print(results["error"])

A thin wrapper over `runner.sync_products` (what the function and the CLI run): settings
from the environment, as the seed read them, and the seed's result dict.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..core.errors import EngineError
from ..core.settings import load_settings
from .runner import sync_products
from .sync import SyncResult


class ProductsSyncEngine:
    """`ProductsSyncEngine(use_test_odoo=..., force_full_sync=...).run_sync()` → the result dict."""

    def __init__(
        self,
        use_test_odoo: bool | None = None,
        force_full_sync: bool | None = None,
        env: Mapping[str, str] | None = None,
    ):
        variables = dict(os.environ if env is None else env)
        if use_test_odoo is not None:  # the argument wins over USE_TEST_ODOO, as in the seed
            variables["USE_TEST_ODOO"] = str(use_test_odoo).lower()
        self.settings = load_settings(variables)
        self.force_full_sync = force_full_sync

    def run_sync(self) -> dict[str, Any]:
        """One sync; failures come back as `{"success": False, "error": …}`, as in the seed."""
        try:
            return sync_products(self.settings, full=self.force_full_sync).as_dict()
        except EngineError as exc:
            return SyncResult(error=str(exc)).as_dict()
