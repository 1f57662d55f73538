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

from ..core.backoff import parse_retry_after
from ..core.errors import PermanentError
from .settings import OrdersSettings
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
    legacy_header: bool = False  # the raw secret in X-Webhook-Secret too (seed receivers)


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


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 ranges that carry an IPv4 address (NAT64, 6to4, IPv4-compatible): the IPv4 one
# is what is reached, and `is_global` does not look inside.
_EMBEDS_IPV4 = tuple(
    ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "::/96")
)


def check_public_url(url: str, production: bool, what: str = "webhook URL") -> Address | None:
    """Refuse a URL we must not send a secret to (PermanentError naming what is wrong).

    In production only https to a public address is allowed: a secret must not travel in
    clear, and a tenant must not make us reach into our own network. There it returns the
    address that was checked, which the caller connects to: asking DNS again would let a
    name rebind to a private address in between. Locally (None) any http(s) URL goes.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError(f"{what} must be http(s)://host/…, got {url!r}")
    if not production:
        return None
    if parts.scheme != "https":
        raise PermanentError(f"{what} must use https in production")
    addresses = _addresses(parts.hostname, parts.port or 443, what)
    for address in addresses:
        if not _is_public(address):
            raise PermanentError(
                f"{what} host {parts.hostname} resolves to {address}, a private, loopback, "
                "link-local or IPv4-embedding address; refused in production"
            )
    return addresses[0]


def _is_public(address: Address) -> bool:
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return _is_public(address.ipv4_mapped)
        if any(address in network for network in _EMBEDS_IPV4):
            return False
    return address.is_global and not address.is_multicast


def _addresses(host: str, port: int, what: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise PermanentError(f"{what} host {host} does not resolve: {exc}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _pinned(url: str, address: Address) -> tuple[str, str, dict[str, str | None]]:
    """`url` aimed at `address`, its Host header and TLS name: the name's certificate is
    still verified, and the receiver still sees its own host name."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    original = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=netloc).geturl(), original, {"sni_hostname": parts.hostname}


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
        self._checked: dict[str, tuple[Address | None, str | None]] = {}
        self._lock = threading.Lock()

    def send(self, delivery: Delivery) -> Outcome:
        """POST one delivery, signed now; never raises for what the network or receiver does."""
        address, refused = self._target(delivery.url)
        if refused:
            return Outcome(ok=False, error=refused)
        headers = {
            "Content-Type": "application/json",
            "X-Odoo-Connection-Id": delivery.connection_id,
            **signed_headers(delivery.secret, delivery.webhook_id, delivery.body),
        }
        if delivery.legacy_header:
            headers["X-Webhook-Secret"] = delivery.secret
        extensions: dict[str, str | None]
        url, extensions = delivery.url, {}
        if address is not None:  # production: the address that was checked
            url, headers["Host"], extensions = _pinned(delivery.url, address)
        try:
            response = self.client.post(
                url, content=delivery.body.encode(), headers=headers, extensions=extensions
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

    def _target(self, url: str) -> tuple[Address | None, str | None]:
        """The checked address to send to, or why the URL is refused. Checked once per
        URL and sender (one cycle): DNS may change between cycles, never within one."""
        with self._lock:
            if url not in self._checked:
                try:
                    self._checked[url] = (check_public_url(url, self.production), None)
                except PermanentError as exc:
                    self._checked[url] = (None, str(exc))
            return self._checked[url]

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sender_for(orders: OrdersSettings) -> WebhookSender:
    """A webhook sender with the configured timeout, parallelism and URL policy."""
    return WebhookSender(orders.webhook_timeout, orders.max_parallel, orders.production)
