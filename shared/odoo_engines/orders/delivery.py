"""Sending signed webhooks: one POST per event, in parallel up to a bound, never a redirect.

Each send returns an `Outcome`; nothing here touches the database, so the caller decides
what a failure means (retry queue, paused tenant).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ..errors import PermanentError
from ..odoo.transport import parse_retry_after
from .signing import signed_headers

USER_AGENT = "odoo-engines-order-poller/1"
MAX_RETRY_AFTER = 3600.0  # a Retry-After further away than this is read as an hour


@dataclass(frozen=True)
class Delivery:
    """One event to POST: where, with which secret and message id, and the exact body."""

    connection_id: str
    url: str
    secret: str
    webhook_id: str
    body: str


@dataclass(frozen=True)
class Outcome:
    """What the receiver answered (`status`) or why no answer came (`error`)."""

    ok: bool
    status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    attempted: bool = True  # False: not sent at all (so it is no attempt)

    @property
    def gone(self) -> bool:
        """410: the receiver says this endpoint is gone for good."""
        return self.status == 410


def check_webhook_url(url: str, production: bool) -> str:
    """The URL if it may receive webhooks; PermanentError naming what is wrong.

    In production only https to a public address is allowed: the secret header must not
    travel in clear, and a tenant must not make us POST into our own network.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError(f"webhook URL must be http(s)://host/…, got {url!r}")
    if production:
        if parts.scheme != "https":
            raise PermanentError("webhook URL must use https in production")
        for address in _addresses(parts.hostname, parts.port or 443):
            if not address.is_global or address.is_multicast:
                raise PermanentError(
                    f"webhook URL host {parts.hostname} resolves to {address}, a private, "
                    "loopback or link-local address; refused in production"
                )
    return url


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise PermanentError(f"webhook URL host {host} does not resolve: {exc}") from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _retry_after(value: str | None) -> float | None:
    seconds = parse_retry_after(value)
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


class WebhookSender:
    """POSTs deliveries with httpx: timeouts on every call, redirects count as failures."""

    def __init__(self, timeout: float, max_parallel: int, production: bool):
        self.max_parallel = max_parallel
        self.production = production
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max_parallel),
            headers={"User-Agent": USER_AGENT},
        )
        self._checked: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def send(self, delivery: Delivery) -> Outcome:
        """POST one delivery, signed now; never raises for what the network or receiver does."""
        refused = self._refusal(delivery.url)
        if refused:
            return Outcome(ok=False, error=refused)
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Secret": delivery.secret,
            "X-Odoo-Connection-Id": delivery.connection_id,
            **signed_headers(delivery.secret, delivery.webhook_id, delivery.body),
        }
        try:
            response = self.client.post(
                delivery.url, content=delivery.body.encode(), headers=headers
            )
        except httpx.TimeoutException:
            return Outcome(ok=False, error="timed out waiting for the webhook receiver")
        except httpx.HTTPError as exc:
            return Outcome(ok=False, error=f"connection failed: {type(exc).__name__}: {exc}")
        status = response.status_code
        if 200 <= status < 300:
            return Outcome(ok=True, status=status)
        if 300 <= status < 400:
            where = response.headers.get("location", "?")
            return Outcome(ok=False, status=status, error=f"HTTP {status} redirect to {where}")
        detail = response.text[:200].strip()
        return Outcome(
            ok=False,
            status=status,
            error=f"HTTP {status}" + (f": {detail}" if detail else ""),
            retry_after=_retry_after(response.headers.get("retry-after"))
            if status in (429, 503)
            else None,
        )

    def send_all(self, deliveries: list[Delivery]) -> list[Outcome]:
        """Send in parallel (at most `max_parallel` at once); outcomes in the input's order.

        Once a receiver answers 410, deliveries to the same tenant not yet started are
        not sent (their outcome says why).
        """
        gone: set[str] = set()

        def one(delivery: Delivery) -> Outcome:
            if delivery.connection_id in gone:
                return Outcome(
                    ok=False, error="not sent: the webhook answered 410 Gone", attempted=False
                )
            outcome = self.send(delivery)
            if outcome.gone:
                gone.add(delivery.connection_id)
            return outcome

        if len(deliveries) <= 1:
            return [one(d) for d in deliveries]
        with ThreadPoolExecutor(max_workers=min(self.max_parallel, len(deliveries))) as pool:
            return list(pool.map(one, deliveries))

    def _refusal(self, url: str) -> str | None:
        # checked once per URL and sender (one cycle): DNS may change between cycles
        with self._lock:
            if url not in self._checked:
                try:
                    check_webhook_url(url, self.production)
                    self._checked[url] = None
                except PermanentError as exc:
                    self._checked[url] = str(exc)
            return self._checked[url]

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
