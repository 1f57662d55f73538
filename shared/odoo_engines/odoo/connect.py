"""`connect_odoo(settings.odoo)`: a logged-in client to the configured Odoo or the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from ..core.checks import Probe
from ..core.errors import ConfigError
from ..core.settings import OdooSettings
from .client import OdooClient

# Where the local stand-in for Odoo comes from when no URL is set: the tools package
# (odoo_engines_tools, never in a function archive) declares it as an entry point, so
# this package does not import the tools.
SANDBOX_ENTRY_POINTS = "odoo_engines.sandbox"


@dataclass(frozen=True)
class SandboxAccount:
    """Where the in-process sandbox Odoo listens and how to log in."""

    url: str
    db: str
    login: str
    password: str


def sandbox_account() -> SandboxAccount:
    """The sandbox Odoo of this process, from the installed tools; ConfigError without them."""
    found = entry_points(group=SANDBOX_ENTRY_POINTS, name="odoo")
    if not found:
        raise ConfigError(
            "no Odoo URL is set (ODOO_URL) and the local sandbox is not installed here"
        )
    start: Callable[[], SandboxAccount] = next(iter(found)).load()
    return start()


def connect_odoo(settings: OdooSettings, login: bool = True) -> OdooClient:
    """A client logged into `settings`' Odoo, or into the sandbox when no URL is set.

    With `login=False` nothing is sent yet (for a client that resumes a saved session).
    """
    if settings.missing:
        raise ConfigError(settings.missing)
    if settings.is_sandbox:
        account = sandbox_account()
        url, db, username, password = account.url, account.db, account.login, account.password
    else:
        assert settings.url  # not the sandbox and nothing missing: the URL is set
        url, db, username, password = (
            settings.url,
            settings.db,
            settings.username,
            settings.password,
        )
    client = OdooClient(
        url,
        db,
        username,
        password,
        protocol=settings.protocol,
        timeout=settings.timeout,
        min_delay=settings.min_delay,
        page_size=settings.page_size,
        overlap_seconds=settings.overlap_seconds,
        lang=settings.lang,
    )
    return client.login() if login else client


def odoo_probe(settings: OdooSettings) -> Probe:
    """A connection check: log in; the version, where and as whom."""

    def probe() -> str:
        with connect_odoo(settings) as client:
            where = "sandbox" if settings.is_sandbox else settings.url
            return f"Odoo {client.version.raw} at {where}, database {client.db}, uid {client.uid}"

    return probe
