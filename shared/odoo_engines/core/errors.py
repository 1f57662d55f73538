"""The one error hierarchy of the suite: it decides every retry."""


class EngineError(Exception):
    """Base of every error the engines raise on purpose."""


class PermanentError(EngineError):
    """Retrying cannot help (bad input, unknown tenant): log it and acknowledge."""


class TransientError(EngineError):
    """May succeed later (timeouts, 5xx, locks): raise so the trigger retries."""


class ConfigError(PermanentError):
    """A setting is missing or malformed; the message names it."""


class NotFoundError(PermanentError):
    """The thing asked for does not exist."""


class QueryError(PermanentError):
    """The database refused a statement for good; its text is for logs, not for callers."""
