"""WebhookSink: a local receiver standing in for the picking app (StockMaster).

Records every delivery (headers, body, path, time) and answers as scripted: 2xx, 4xx,
5xx or 429 with Retry-After, or stalls, so retries, backoff and timeouts can be tested
over real HTTP. Thread-safe; `wait_for(n)` blocks until n deliveries have arrived.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from odoo_engines.orders.signing import signing_key

from .local_http import Headers, IncomingRequest, LocalHttpServer, Reply


@dataclass(frozen=True)
class Delivery:
    """One request the sink received and the status it answered."""

    method: str
    path: str
    headers: Headers
    body: bytes
    received_at: datetime
    status: int

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def verify(self, secret: str) -> Any:
        """Check the Standard Webhooks signature with `secret` (as the tenant has it); the body.

        Raises `standardwebhooks.webhooks.WebhookVerificationError` when it does not match.
        """
        return Webhook(signing_key(secret)).verify(self.body, dict(self.headers))


@dataclass
class _Answer:
    status: int
    times: int | None  # None: every request until changed
    retry_after: float | None


class WebhookSink(LocalHttpServer):
    """Records deliveries on 127.0.0.1 and answers as told; `url` is its base URL."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self._cond = threading.Condition()
        self._deliveries: list[Delivery] = []
        self._script: deque[_Answer] = deque()
        self._default = _Answer(200, None, None)
        self._stalls: deque[float] = deque()

    @property
    def url(self) -> str:
        """Where to deliver: `http://127.0.0.1:<port>` (any path is accepted)."""
        return self.base_url

    @property
    def deliveries(self) -> list[Delivery]:
        """Every delivery so far, oldest first (a copy)."""
        with self._cond:
            return list(self._deliveries)

    def respond(self, status: int, times: int | None = None, retry_after: float | None = None):
        """Answer `status` to the next `times` requests (queued after earlier scripted
        answers); with `times=None`, answer it from now on instead of 200."""
        answer = _Answer(status, times, retry_after)
        with self._cond:
            if times is None:
                self._script.clear()
                self._default = answer
            elif times > 0:
                self._script.append(answer)

    def stall(self, seconds: float, times: int = 1) -> None:
        """Wait `seconds` before answering each of the next `times` requests."""
        with self._cond:
            self._stalls.extend([seconds] * times)

    def reset(self) -> None:
        """Forget deliveries and scripts: record and answer 200 again."""
        with self._cond:
            self._deliveries.clear()
            self._script.clear()
            self._stalls.clear()
            self._default = _Answer(200, None, None)

    def wait_for(self, n: int, timeout: float = 5.0) -> list[Delivery]:
        """Block until at least `n` deliveries arrived; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._deliveries) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"webhook sink got {len(self._deliveries)} deliveries, waited for {n}"
                    )
                self._cond.wait(left)
            return list(self._deliveries)

    def handle(self, request: IncomingRequest) -> Reply:
        with self._cond:
            answer = self._next_answer()
            stall = self._stalls.popleft() if self._stalls else 0.0
            self._deliveries.append(
                Delivery(
                    method=request.method,
                    path=request.path,
                    headers=request.headers,
                    body=request.body,
                    received_at=request.received_at,
                    status=answer.status,
                )
            )
            self._cond.notify_all()
        if stall:  # recorded first: a client that times out still delivered it
            time.sleep(stall)
        headers = {}
        if answer.retry_after is not None:
            headers["Retry-After"] = f"{answer.retry_after:g}"
        ok = 200 <= answer.status < 300
        payload = {"received": True} if ok else {"error": f"sink answered {answer.status}"}
        return Reply(answer.status, payload, headers)

    def _next_answer(self) -> _Answer:
        if not self._script:
            return self._default
        answer = self._script[0]
        answer.times -= 1
        if answer.times <= 0:
            self._script.popleft()
        return answer
