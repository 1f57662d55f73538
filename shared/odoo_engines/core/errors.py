"""The one error hierarchy of the suite: it decides every retry (and every HTTP status:
`core.triggers.http.Router` maps each class to one)."""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """Base of every error the engines raise on purpose."""


class PermanentError(EngineError):
    """Retrying cannot help (bad input, unknown tenant): log it and acknowledge."""


class TransientError(EngineError):
    """May succeed later (timeouts, 5xx, locks): raise so the trigger retries."""


class DatabaseUnavailable(TransientError):
    """The database could not be reached or dropped the statement (its connection is
    then dropped too; a provider's TransientError leaves the connection alone)."""


class ConfigError(PermanentError):
    """A setting is missing or malformed; the message names it."""


class NotFoundError(PermanentError):
    """The thing asked for does not exist."""


class QueryError(PermanentError):
    """The database refused a statement for good; its text is for logs, not for callers."""


class ConflictError(PermanentError):
    """The stored state refuses the request and nothing was changed (HTTP 409); `details`
    are safe to show the caller."""

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.details = details


class InvalidValueError(PermanentError):
    """A value the caller sent is not allowed (HTTP 422); `field` names it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field
