"""HTTP to Odoo: timeouts, retries with backoff and `Retry-After`, a minimum delay, a call count."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx

from ..core.backoff import backoff_delay, parse_retry_after
from ..core.logging import get_logger
from .errors import OdooUnavailable

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Errors raised before the request left this machine: retrying cannot repeat a write.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

log = get_logger("odoo")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one call before giving up with `OdooUnavailable`."""

    max_retries: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_wait: float = 60.0  # seconds slept in total for one call

    def backoff(self, retry: int) -> float:
        """Delay before retry number `retry` (1, 2, …): exponential, up to half of it off."""
        return backoff_delay(retry, self.base_delay, self.max_delay, jitter=0.5)


def _odoo_json(value: Any) -> Any:
    """Dates and datetimes the way Odoo writes them: naive UTC, to the second."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    raise TypeError(f"{type(value).__name__} cannot be sent to Odoo")


def encode(body: Any) -> bytes:
    """The JSON body of a request; datetimes become Odoo's `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return json.dumps(body, default=_odoo_json, ensure_ascii=False, allow_nan=False).encode()


def _reason(exc: httpx.TransportError, timeout: float) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {timeout:g}s"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g}s"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "the connection was dropped"
    return type(exc).__name__


class Transport:
    """One httpx client to one Odoo URL; every request goes through `post`."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        min_delay: float = 0.0,
        retry: RetryPolicy | None = None,
    ):
        base = httpx.URL(url)
        self.where = f"{base.scheme}://{base.host}" + (f":{base.port}" if base.port else "")
        self.timeout = timeout
        self.min_delay = min_delay
        self.retry = retry or RetryPolicy()
        self.calls = 0
        self._last_call: float | None = None
        self._lock = threading.Lock()
        self._http = httpx.Client(
            base_url=url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "odoo-engines"},
        )

    def close(self) -> None:
        self._http.close()

    def post(
        self,
        path: str,
        body: Any,
        *,
        what: str,
        idempotent: bool,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST JSON, retrying what is safe to retry; `OdooUnavailable` once retries run out.

        Reads are retried on 429/502/503/504, dropped connections and timeouts; writes only
        when the request never reached Odoo (connect errors) or Odoo refused it with 429.
        """
        content = encode(body)
        headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        retries = 0
        waited = 0.0
        while True:
            self._throttle()
            self.calls += 1
            status = retry_after = None
            try:
                response = self._http.post(path, content=content, headers=headers)
            except httpx.TransportError as exc:
                reason = _reason(exc, self.timeout)
                if not (idempotent or isinstance(exc, _NOT_SENT)):
                    raise self._unavailable(what, retries, reason) from exc
            else:
                status = response.status_code
                if status not in RETRY_STATUSES:
                    return response
                reason = f"HTTP {status}"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if not (idempotent or status == 429):
                    raise self._unavailable(what, retries, reason, status, retry_after)
            delay = retry_after if retry_after is not None else self.retry.backoff(retries + 1)
            if retries >= self.retry.max_retries or waited + delay > self.retry.max_wait:
                raise self._unavailable(what, retries, reason, status, retry_after)
            retries += 1
            waited += delay
            log.warning(
                "odoo_retry", call=what, retry=retries, delay=round(delay, 3), reason=reason
            )
            time.sleep(delay)

    def _unavailable(
        self,
        what: str,
        retries: int,
        reason: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> OdooUnavailable:
        tries = f"after {retries + 1} attempts" if retries else "on the first attempt"
        return OdooUnavailable(
            f"Odoo at {self.where} is unavailable for {what} ({tries}): {reason}",
            status=status,
            retry_after=retry_after,
        )

    def _throttle(self) -> None:
        # Odoo Online throttles clients that call too fast: space calls by `min_delay`.
        if self.min_delay <= 0:
            return
        with self._lock:
            if self._last_call is not None:
                wait = self._last_call + self.min_delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            self._last_call = time.monotonic()
