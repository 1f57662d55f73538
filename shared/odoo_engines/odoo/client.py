"""`OdooClient`: one Odoo account over JSON-RPC or JSON-2, with typed errors and helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, cast

from ..core.logging import get_logger
from .errors import OdooAuthError, OdooModelMissing, OdooServerError
from .pager import Page, keyset_pages
from .protocols import EndpointMissing, Json2, JsonRpc
from .transport import RetryPolicy, Transport
from .version import OdooVersion

PROTOCOLS = ("auto", "jsonrpc", "json2")
FIELD_ATTRIBUTES = ["type", "string", "relation", "required", "readonly", "store", "selection"]

log = get_logger("odoo")


def _options(**options: Any) -> dict[str, Any]:
    """Keyword arguments worth sending: Odoo's defaults for 0, None and empty values."""
    return {key: value for key, value in options.items() if value}


class OdooClient:
    """A logged-in Odoo user: `execute` and helpers, one HTTP connection pool.

    Nothing is sent until first use; `version` and `uid` are read once and cached.
    `protocol="auto"` uses JSON-2 on Odoo 19+ (or when `/jsonrpc` answers 404) and
    JSON-RPC below. Every call carries a language in its context: `lang`, else the user's
    own (read at login), so names come back, and are written, as the user sees them in
    Odoo (a call without one answers in en_US whatever the company speaks).
    """

    read_batch = 1000  # ids per `read` call

    def __init__(
        self,
        url: str,
        db: str,
        username: str,
        password: str,
        protocol: str = "auto",
        timeout: float = 30.0,
        min_delay: float = 0.0,
        max_retries: int = 4,
        *,
        page_size: int = 500,
        overlap_seconds: int = 60,
        retry: RetryPolicy | None = None,
        lang: str | None = None,
    ):
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}, got {protocol!r}")
        self.url = url.rstrip("/")
        self.db = db
        self.username = username
        self.requested_protocol = protocol
        self.protocol = protocol  # "jsonrpc" or "json2" once logged in
        self.page_size = page_size
        self.overlap_seconds = overlap_seconds
        self.transport = Transport(
            self.url,
            timeout=timeout,
            min_delay=min_delay,
            retry=retry or RetryPolicy(max_retries=max_retries),
        )
        self._jsonrpc = JsonRpc(self.transport, db, password)
        self._json2 = Json2(self.transport, db, password)
        self._jsonrpc_gone = False
        self._version: OdooVersion | None = None
        self._uid: int | None = None
        self.requested_lang = lang
        self._lang: str | None = lang
        self._fields: dict[str, dict[str, Any]] = {}
        self._reported_missing: set[tuple[str, str]] = set()
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return (
            f"OdooClient(url={self.url!r}, db={self.db!r}, username={self.username!r}, "
            f"protocol={self.protocol!r})"
        )

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> OdooClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def calls(self) -> int:
        """HTTP round trips made so far (retries included)."""
        return self.transport.calls

    @property
    def version(self) -> OdooVersion:
        """The server's version, read once (`common.version`)."""
        if self._version is None:
            try:
                info = self._jsonrpc.version()
            except EndpointMissing:
                self._jsonrpc_gone = True
                try:
                    info = self._jsonrpc.web_version()
                except EndpointMissing:
                    raise OdooServerError(
                        f"{self.url} answered 404 to /jsonrpc and /web/webclient/version_info:"
                        " is this an Odoo URL?",
                        status=404,
                    ) from None
            self._version = OdooVersion.parse(info)
        return self._version

    @property
    def uid(self) -> int:
        """The logged-in user's id; logs in on first use."""
        with self._lock:
            if self._uid is None:
                self._uid = self._authenticate()
                log.info(
                    "odoo_login",
                    url=self.transport.where,
                    db=self.db,
                    user=self.username,
                    uid=self._uid,
                    version=str(self.version),
                    protocol=self.protocol,
                    lang=self._lang,
                )
            return self._uid

    @property
    def lang(self) -> str:
        """The language of every call: the one asked for, else the user's own."""
        _ = self.uid
        return self._lang or "en_US"

    def login(self) -> OdooClient:
        """Read the version and log in now (instead of on first call)."""
        _ = self.uid
        return self

    def session(self) -> dict[str, Any]:
        """What a later client may reuse to skip its login round trips (JSON-serializable).

        Version, protocol, uid and the field lists read so far; no secret. A stale uid is
        handled by the one re-login on AccessDenied.
        """
        return {
            "version": str(self.version),
            "protocol": self.protocol,
            "uid": self.uid,
            "lang": self.lang,
            "fields": self._fields,
        }

    def resume(self, session: dict[str, Any]) -> OdooClient:
        """Start from a `session()` of an earlier client of the same account."""
        with self._lock:
            self._version = OdooVersion.parse(session["version"])
            if session.get("protocol") in ("jsonrpc", "json2"):
                self.protocol = session["protocol"]
            self._uid = int(session["uid"])
            if self.requested_lang is None and session.get("lang"):
                self._lang = session["lang"]
            self._fields.update(session.get("fields") or {})
        return self

    def check(self) -> dict[str, Any]:
        """Log in and return what a connection test shows: URL, db, version, protocol, uid."""
        uid = self.uid
        return {
            "url": self.transport.where,
            "db": self.db,
            "user": self.username,
            "uid": uid,
            "version": str(self.version),
            "protocol": self.protocol,
            "lang": self.lang,
        }

    def _rejected(self) -> OdooAuthError:
        log.warning("odoo_login_rejected", url=self.transport.where, db=self.db, user=self.username)
        return OdooAuthError(
            f"Odoo rejected the login for user {self.username} on database {self.db}"
        )

    def _wants_json2(self) -> bool:
        if self.requested_protocol == "auto":
            return self._jsonrpc_gone or self.version.has_json2
        return self.requested_protocol == "json2"

    def _authenticate(self) -> int:
        if self._wants_json2():
            try:
                context = self._json2.context()
                self.protocol = "json2"
                self._user_language(context)
                return int(context["uid"])
            except OdooAuthError:
                if self.requested_protocol == "json2" or self._jsonrpc_gone:
                    raise self._rejected() from None
                # JSON-2 takes API keys only; a password still works over JSON-RPC.
                log.info("odoo_json2_refused_key", db=self.db, user=self.username)
        try:
            uid = self._jsonrpc.authenticate(self.username)
        except EndpointMissing:
            if self.requested_protocol != "auto":
                raise
            self._jsonrpc_gone = True
            return self._authenticate()
        if not uid:
            raise self._rejected()
        self.protocol = "jsonrpc"
        if self.requested_lang is None:
            context = self._jsonrpc.execute_kw(uid, "res.users", "context_get", [], {})
            self._user_language(context)
        return int(uid)

    def _user_language(self, context: dict[str, Any]) -> None:
        if self.requested_lang is None and isinstance(context, dict):
            self._lang = context.get("lang") or None

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call `model.method(*args, **kwargs)` like execute_kw; typed errors.

        On a refused key it logs in once more and retries once (a rotated session or
        uid), then raises `OdooAuthError`.
        """
        retried = False
        while True:
            uid = self.uid
            kwargs = self._in_language(kwargs)
            try:
                if self.protocol == "json2":
                    return self._json2.execute(model, method, args, kwargs)
                return self._jsonrpc.execute_kw(uid, model, method, args, kwargs)
            except EndpointMissing:
                if retried or self.requested_protocol != "auto":
                    raise
                self._jsonrpc_gone = True  # the RPC services were switched off: use JSON-2
            except OdooAuthError:
                if retried:
                    raise
                log.warning("odoo_access_denied_relogin", model=model, method=method)
            retried = True
            with self._lock:
                self._uid = None

    def _in_language(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        context = kwargs.get("context") or {}
        if not self._lang or "lang" in context:
            return kwargs
        return {**kwargs, "context": {**context, "lang": self._lang}}

    # -- helpers ---------------------------------------------------------------------

    def fields(self, model: str) -> dict[str, dict[str, Any]]:
        """`fields_get` of `model` (type, string, relation, …), read once per model.

        Raises `OdooModelMissing` when the model's app is not installed (`installed`).
        """
        if model not in self._fields:
            # In en_US: the "doesn't exist" message is translated on 16 to 18.
            self._fields[model] = self.execute(model, "fields_get", attributes=FIELD_ATTRIBUTES,
                                               context={"lang": "en_US"})  # fmt: skip
        if not self._fields[model]:
            raise OdooModelMissing(f"Odoo {model}.fields_get failed: {model} is not installed")
        return self._fields[model]

    def installed(self, model: str) -> bool:
        """Whether `model` exists here (the app that defines it is installed); asked once."""
        if model not in self._fields:
            try:
                self.fields(model)
            except OdooModelMissing:
                self._fields[model] = {}  # kept in `session()`: asked once per login
        return bool(self._fields[model])

    def existing_fields(self, model: str, wanted: Sequence[str]) -> list[str]:
        """`wanted` without the fields this Odoo version lacks (e.g. `mobile` on 19)."""
        known = self.fields(model)
        kept = [name for name in wanted if name in known or name == "id"]
        missing = [name for name in wanted if name not in known and name != "id"]
        new = [name for name in missing if (model, name) not in self._reported_missing]
        if new:
            self._reported_missing.update((model, name) for name in new)
            log.debug("odoo_fields_missing", model=model, fields=new, version=str(self.version))
        # An empty list would make Odoo return every field.
        return kept or ["id"]

    def _fields_arg(self, model: str, fields: Sequence[str] | None) -> list[str] | None:
        return self.existing_fields(model, fields) if fields else None

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: Sequence[str] | None,
        order: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        context: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """`search_read` asking only for fields that exist in this version."""
        fields_arg = self._fields_arg(model, fields)
        options = _options(order=order, limit=limit, offset=offset, context=context)
        records = self.execute(model, "search_read", domain, fields=fields_arg, **options)
        return cast(list[dict[str, Any]], records)  # Odoo's JSON answer

    def search(
        self,
        model: str,
        domain: list[Any],
        order: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        context: dict[str, Any] | None = None,
    ) -> list[int]:
        """Ids matching `domain`."""
        options = _options(order=order, limit=limit, offset=offset, context=context)
        return cast(list[int], self.execute(model, "search", domain, **options))

    def search_count(
        self, model: str, domain: list[Any], context: dict[str, Any] | None = None
    ) -> int:
        """How many records match `domain`."""
        return cast(int, self.execute(model, "search_count", domain, **_options(context=context)))

    def read(
        self,
        model: str,
        ids: Sequence[int],
        fields: Sequence[str] | None,
        context: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Records by id, `read_batch` ids per call, in the order of `ids` (each id once).

        Ids that do not exist are left out, as Odoo does.
        """
        unique = list(dict.fromkeys(ids))
        if not unique:
            return []
        kwargs = {"fields": self._fields_arg(model, fields), **_options(context=context)}
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(unique), self.read_batch):
            chunk = unique[start : start + self.read_batch]
            for record in self.execute(model, "read", chunk, **kwargs):
                found[record["id"]] = record
        return [found[i] for i in unique if i in found]

    @property
    def reads_inline(self) -> bool:
        """Whether `pages(inline=…)` works here: `web_search_read` with a specification (17+)."""
        return self.version.at_least(17)

    def pages(
        self,
        model: str,
        domain: list[Any],
        fields: Sequence[str],
        cursor: dict[str, Any] | None = None,
        page_size: int | None = None,
        context: dict[str, Any] | None = None,
        *,
        include_archived: bool = False,
        overlap_seconds: int | None = None,
        inline: dict[str, list[str]] | None = None,
    ) -> Iterator[Page]:
        """Records changed since `cursor`, page by page over (write_date, id); see `pager`.

        Each `Page` carries the cursor to save after storing its records. A run that
        resumes from a cursor re-reads `overlap_seconds` (default: the client's) behind it.
        `inline` reads fields of many2one targets in the same call (17+ `web_search_read`):
        `{"product_id": ["qty_available"]}` gives `product_id` as `{"id": …,
        "qty_available": …}`. Callers check `reads_inline` first.
        """
        wanted = list(dict.fromkeys([*fields, "write_date"]))
        context = dict(context or {})
        if include_archived:
            context["active_test"] = False

        def fetch(full_domain: list[Any], order: str, limit: int) -> list[dict[str, Any]]:
            if inline:
                spec: dict[str, dict[str, Any]] = {
                    name: {"fields": {f: {} for f in inline[name]}} if name in inline else {}
                    for name in self.existing_fields(model, wanted)}  # fmt: skip
                # count_limit=limit: a full page would otherwise make Odoo count every
                # match (a second query per page) for a `length` we never read.
                found = self.execute(model, "web_search_read", domain=full_domain,
                                     specification=spec, order=order, limit=limit,
                                     count_limit=limit, **_options(context=context))  # fmt: skip
                return cast(list[dict[str, Any]], found["records"])
            return self.search_read(
                model, full_domain, wanted, order=order, limit=limit, context=context
            )

        return keyset_pages(
            fetch,
            list(domain),
            cursor=cursor,
            page_size=page_size or self.page_size,
            overlap_seconds=self.overlap_seconds if overlap_seconds is None else overlap_seconds,
        )
