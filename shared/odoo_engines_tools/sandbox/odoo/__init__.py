"""The sandbox Odoo: a local HTTP stand-in for Odoo 16-19, never needed in production.

`SandboxOdoo` serves in-memory databases over `/jsonrpc` and JSON-2 with the behaviours of
ODOO.md; `DemoSpec` sizes the demo company each database is filled with.
"""

from .demo_company import DemoSpec
from .faults import Faults
from .orm import Database
from .server import SandboxOdoo
from .versions import Release

__all__ = ["Database", "DemoSpec", "Faults", "Release", "SandboxOdoo"]
