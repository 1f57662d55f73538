"""Fault injection for the sandbox's HTTP listeners: latency, failures, dropped connections.

HTTP 429 with `Retry-After` is **not observed in Odoo source** (ODOO.md §1.7): Odoo has no
rate limiting on its RPC endpoints; Odoo Online's front proxies are undocumented. The 429
mode exists so clients can prove they back off; 502/503/504 and dropped connections are
what a proxy in front of a killed or restarting Odoo worker produces (§1.6).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

BODIES = {
    429: "Too Many Requests",  # not observed in Odoo source: a proxy's answer
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Time-out",
}


@dataclass(frozen=True)
class Fault:
    """What to do with one request: wait `latency`, then drop it, fail it, or serve it."""

    latency: float = 0.0
    drop: bool = False
    status: int | None = None
    retry_after: float | int | None = None


class Faults:
    """Shared by every listener of a server; thread-safe counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def set(
        self,
        latency: float = 0.0,
        fail_status: int | None = None,
        fail_times: int = 0,
        retry_after: float | int | None = None,
        drop_times: int = 0,
    ) -> None:
        """Inject faults on the next requests.

        `fail_status` (429, 500, 502, 503, 504) answers the next `fail_times` requests;
        `fail_times=0` with a status fails every request until `clear()`. `drop_times`
        requests are read and their connection closed with no answer (dropped first).
        `retry_after` (seconds) is sent as a `Retry-After` header with failures.
        `latency` (seconds) delays every request until cleared.
        """
        if fail_status is not None and fail_status not in BODIES:
            raise ValueError(f"fail_status must be one of {sorted(BODIES)}")
        with self._lock:
            self.latency = float(latency)
            self.fail_status = fail_status
            self.fail_times = int(fail_times)
            self.fail_forever = fail_status is not None and fail_times == 0
            self.retry_after = retry_after
            self.drop_times = int(drop_times)

    def clear(self) -> None:
        """Back to normal service."""
        with self._lock:
            self.latency = 0.0
            self.fail_status = None
            self.fail_times = 0
            self.fail_forever = False
            self.retry_after = None
            self.drop_times = 0
            self.served = 0  # requests that met a fault (dropped or failed)

    def next(self) -> Fault:
        """The fault for the request being handled now (consumes one count)."""
        with self._lock:
            if self.drop_times > 0:
                self.drop_times -= 1
                self.served += 1
                return Fault(self.latency, drop=True)
            if self.fail_status is not None and (self.fail_forever or self.fail_times > 0):
                if not self.fail_forever:
                    self.fail_times -= 1
                self.served += 1
                return Fault(self.latency, status=self.fail_status, retry_after=self.retry_after)
            return Fault(self.latency)
