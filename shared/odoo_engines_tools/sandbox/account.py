"""The sandbox Odoo `connect_odoo` uses when no URL is set (entry point `odoo_engines.sandbox`).

One per process, with the demo company, started on first use and stopped at exit.
"""

from __future__ import annotations

import atexit
import threading

from odoo_engines.odoo.connect import SandboxAccount

from .odoo import DemoSpec, SandboxOdoo

SANDBOX_DB = "sandbox"
SANDBOX_SEED = 42

_lock = threading.Lock()
_account: SandboxAccount | None = None


def sandbox_account() -> SandboxAccount:
    """This process's sandbox Odoo with the demo company, started on first use."""
    global _account
    with _lock:
        if _account is None:
            server = SandboxOdoo(host="127.0.0.1", port=0)
            server.start()
            atexit.register(server.stop)
            db = server.add_database(SANDBOX_DB, spec=DemoSpec(), seed=SANDBOX_SEED)
            _account = SandboxAccount(server.url, db.name, db.login, db.api_key)
        return _account
