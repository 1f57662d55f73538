"""Typed Odoo errors: each carries Odoo's `data.name` and message, never a key."""

from __future__ import annotations

import re
from typing import Any

from ..core.errors import EngineError, PermanentError, TransientError

# Odoo exception names (JSON-RPC `data.name`, JSON-2 body `name`) that mean the
# credentials were refused.
AUTH_NAMES = frozenset(
    {
        "odoo.exceptions.AccessDenied",
        "werkzeug.exceptions.Unauthorized",
    }
)
# Failures of the database or of concurrency on Odoo's side: retrying later can help.
TRANSIENT_NAMES = frozenset(
    {
        "odoo.exceptions.LockError",
        "psycopg2.errors.SerializationFailure",
        "psycopg2.errors.LockNotAvailable",
        "psycopg2.extensions.TransactionRollbackError",
        "psycopg2.errors.DeadlockDetected",
        "odoo.exceptions.ConcurrencyError",  # 19: a concurrent update, retry after a pause
    }
)
# How each protocol says a model does not exist on this database (its app not installed):
# JSON-RPC raises UserError("Object x doesn't exist"), JSON-2 answers 404.
MODEL_MISSING = re.compile(r"^Object \S+ doesn't exist$|^the model '\S+' does not exist$")
TRANSIENT_STATUSES = frozenset({409, 429, 502, 503, 504})


class OdooError(EngineError):
    """Base of every Odoo failure; `name` and `message` are Odoo's own (may be None)."""

    def __init__(
        self,
        text: str,
        *,
        name: str | None = None,
        message: str | None = None,
        status: int | None = None,
    ):
        super().__init__(text)
        self.name = name
        self.message = message
        self.status = status


class OdooAuthError(OdooError, PermanentError):
    """Odoo refused the login, password or API key (wrong, expired or revoked)."""


class OdooUnavailable(OdooError, TransientError):
    """Odoo did not answer in time, was overloaded or dropped the connection."""

    def __init__(
        self,
        text: str,
        *,
        retry_after: float | None = None,
        name: str | None = None,
        message: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(text, name=name, message=message, status=status)
        self.retry_after = retry_after


class OdooServerError(OdooError, PermanentError):
    """Odoo rejected the call itself (ValueError, UserError, AccessError, unknown model…)."""


class OdooModelMissing(OdooServerError):
    """The model does not exist on this database: the app that defines it is not installed."""


def from_odoo(
    name: str | None, message: str | None, *, status: int | None = None, where: str
) -> OdooError:
    """The typed error for an Odoo error `name`/`message` raised by the call `where`."""
    text = f"Odoo {where} failed: {name or 'error'}: {message or 'no message'}"
    kwargs: dict[str, Any] = {"name": name, "message": message, "status": status}
    if name in AUTH_NAMES or status == 401:
        return OdooAuthError(text, **kwargs)
    if name in TRANSIENT_NAMES or (
        name == "psycopg2.OperationalError" and "does not exist" not in (message or "")
    ):
        return OdooUnavailable(text, **kwargs)
    if name is None and status is not None and (status in TRANSIENT_STATUSES or status >= 500):
        return OdooUnavailable(text, **kwargs)
    if MODEL_MISSING.match(message or ""):
        return OdooModelMissing(text, **kwargs)
    return OdooServerError(text, **kwargs)
