"""structlog set-up: JSON that Cloud Logging understands, readable lines on a terminal.

Cloud Logging reads `severity`, `message`, `time` and
`logging.googleapis.com/trace` from each JSON line on stdout. Any value under a
secret-looking key is replaced by `[REDACTED]` before anything is printed.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO, cast

import structlog
from structlog.typing import EventDict, FilteringBoundLogger, Processor, WrappedLogger

REDACTED = "[REDACTED]"
_SECRET_KEY = re.compile(
    r"(pass(word|wd)?|api[_-]?key|secret|token|authorization|credential|private[_-]?key|dsn)",
    re.IGNORECASE,
)
TRACE_FIELD = "logging.googleapis.com/trace"
_trace: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace", default=None)
_configured = False


def is_secret_key(key: str) -> bool:
    """True for keys like `password`, `odoo_api_key`, `webhook_secret`, `Authorization`."""
    return bool(_SECRET_KEY.search(key))


def redact(value: Any) -> Any:
    """Copy of `value` with every value under a secret-looking key redacted, at any depth."""
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if isinstance(k, str) and is_secret_key(k) and v else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact(v) for v in value)
    return value


def _redact_processor(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    redacted: EventDict = redact(event_dict)
    return redacted


def _cloud_logging_fields(_logger: WrappedLogger, name: str, event_dict: EventDict) -> EventDict:
    event_dict["severity"] = event_dict.pop("level", name).upper()
    event_dict["message"] = event_dict.pop("event", "")
    trace = _trace.get()
    if trace:
        event_dict[TRACE_FIELD] = trace
    return event_dict


def set_trace(trace: str | None, project: str | None = None) -> None:
    """Attach a trace id (from `X-Cloud-Trace-Context` or a generated one) to later lines."""
    if trace and project and not trace.startswith("projects/"):
        trace = f"projects/{project}/traces/{trace}"
    _trace.set(trace)


class _CurrentStderr:
    """Whatever `sys.stderr` is when a line is written (test runners swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return sys.stderr.isatty()


def configure_logging(level: str = "INFO", fmt: str = "auto", stream: TextIO | None = None) -> None:
    """Configure structlog once per process; `fmt` is auto, json or console."""
    global _configured
    # _CurrentStderr has the part of TextIO that structlog's PrintLogger uses
    stream = stream or cast(TextIO, _CurrentStderr())
    use_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        _redact_processor,
    ]
    processors: list[Processor]
    if use_json:
        processors = [
            *shared,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            structlog.processors.dict_tracebacks,
            _rename_exception,
            _cloud_logging_fields,
            structlog.processors.JSONRenderer(default=str, ensure_ascii=False),
        ]
    else:
        processors = [
            *shared,
            structlog.processors.TimeStamper(fmt="%H:%M:%S", utc=False),
            structlog.dev.ConsoleRenderer(colors=stream.isatty()),
        ]
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    _configured = True


def _rename_exception(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    # dict_tracebacks writes a structured `exception`; Cloud Logging's error reporting
    # wants the text of the traceback there, so keep a readable string.
    exc = event_dict.get("exception")
    if isinstance(exc, list) and exc:
        last = exc[-1]
        frames = "".join(
            f'  File "{f.get("filename")}", line {f.get("lineno")}, in {f.get("name")}\n'
            for f in last.get("frames", [])
        )
        event_dict["exception"] = (
            f"Traceback (most recent call last):\n{frames}"
            f"{last.get('exc_type')}: {last.get('exc_value')}"
        )
    return event_dict


def get_logger(component: str, **context: Any) -> FilteringBoundLogger:
    """A logger bound to a component name; configures defaults on first use.

    It stays a lazy proxy, so a later `configure_logging` (level, format) applies to
    loggers created at import time too.
    """
    if not _configured:
        configure_logging()
    logger: FilteringBoundLogger = structlog.get_logger(component=component, **context)
    return logger
