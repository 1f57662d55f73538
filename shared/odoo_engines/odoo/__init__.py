"""The Odoo client: JSON-RPC and JSON-2, retries, typed errors, batched reads, a keyset pager;
record values as Python (`records`)."""

from .client import OdooClient
from .connect import connect_odoo, odoo_probe, sandbox_account
from .errors import (
    OdooAuthError,
    OdooError,
    OdooModelMissing,
    OdooServerError,
    OdooUnavailable,
)
from .pager import Cursor, Page
from .records import many2one, plain_text, sku_for
from .transport import RetryPolicy
from .version import OdooVersion

__all__ = [
    "Cursor",
    "OdooAuthError",
    "OdooClient",
    "OdooError",
    "OdooModelMissing",
    "OdooServerError",
    "OdooUnavailable",
    "OdooVersion",
    "Page",
    "RetryPolicy",
    "connect_odoo",
    "many2one",
    "odoo_probe",
    "plain_text",
    "sandbox_account",
    "sku_for",
]
