"""Calling the LLM as the seed's resilience table promises: retries with exponential
backoff on timeouts, 429 and 5xx, and a circuit breaker shared by the whole process.

The breaker counts provider calls, not requests: after `failure_threshold` consecutive
failed calls it opens for `open_seconds` (calls fail at once, the provider is not
touched), then lets exactly one trial call through (half-open): success closes it,
failure opens it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import openai

from ..core.backoff import backoff_delay
from ..core.errors import TransientError
from ..core.logging import get_logger

if TYPE_CHECKING:
    from structlog.typing import FilteringBoundLogger

log = get_logger("enrichment.llm")
T = TypeVar("T")

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitOpenError(TransientError):
    """The breaker is open: the provider is not called until `retry_after` seconds pass."""

    def __init__(self, retry_after: float):
        super().__init__(
            f"the language model is unavailable (circuit breaker open); "
            f"retry in {max(retry_after, 0):.0f} s"
        )
        self.retry_after = max(retry_after, 0.0)


class CircuitBreaker:
    """Closed → open after N consecutive failures → half-open trial → closed. Thread-safe."""

    def __init__(
        self,
        failure_threshold: int = 5,
        open_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = "llm",
    ):
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.name = name
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        """`closed`, `open` or `half_open` (an expired open period reads as half-open)."""
        with self._lock:
            return self._current_state()

    def snapshot(self) -> dict[str, Any]:
        """State for /health: state, consecutive failures, seconds until a trial is allowed."""
        with self._lock:
            state = self._current_state()
            retry_after = (
                max(self._opened_at + self.open_seconds - self._clock(), 0.0)
                if state == OPEN
                else 0.0
            )
            return {
                "state": state,
                "consecutive_failures": self._failures,
                "failure_threshold": self.failure_threshold,
                "open_seconds": self.open_seconds,
                "retry_after_seconds": round(retry_after, 3),
            }

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` through the breaker; a TransientError from it counts as a failure."""
        self._before_call()
        try:
            result = fn()
        except TransientError:
            self._record(success=False)
            raise
        except BaseException:
            # the provider answered (a refusal, a bad request) or our code failed: it says
            # nothing about availability, so only free the trial slot
            self._release_trial()
            raise
        self._record(success=True)
        return result

    def _current_state(self) -> str:
        if self._state == OPEN and self._clock() - self._opened_at >= self.open_seconds:
            return HALF_OPEN
        return self._state

    def _before_call(self) -> None:
        with self._lock:
            state = self._current_state()
            if state == OPEN:
                raise CircuitOpenError(self._opened_at + self.open_seconds - self._clock())
            if state == HALF_OPEN:
                if self._trial_in_flight:
                    raise CircuitOpenError(0.0)
                if self._state != HALF_OPEN:
                    self._state = HALF_OPEN
                    log.warning("llm_circuit_half_open", breaker=self.name)
                self._trial_in_flight = True

    def _release_trial(self) -> None:
        with self._lock:
            self._trial_in_flight = False

    def _record(self, success: bool) -> None:
        with self._lock:
            self._trial_in_flight = False
            if success:
                if self._state != CLOSED:
                    log.info("llm_circuit_closed", breaker=self.name)
                self._state = CLOSED
                self._failures = 0
                return
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self.failure_threshold:
                if self._state != OPEN:
                    log.error(
                        "llm_circuit_opened",
                        breaker=self.name,
                        consecutive_failures=self._failures,
                        open_seconds=self.open_seconds,
                    )
                self._state = OPEN
                self._opened_at = self._clock()


@dataclass(frozen=True)
class CallRetries:
    """`attempts` calls at most; waits `backoff`, 2×, 4× … seconds between them."""

    attempts: int = 3
    backoff: float = 1.0

    def delay(self, attempt: int) -> float:
        """The wait after failed attempt number `attempt` (1-based)."""
        return backoff_delay(attempt, self.backoff)


def is_timeout(exc: BaseException) -> bool:
    """True when `exc` or any exception it was raised from is a timeout."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, TimeoutError | httpx.TimeoutException | openai.APITimeoutError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def call_with_retries(
    fn: Callable[[], T],
    policy: CallRetries,
    breaker: CircuitBreaker,
    *,
    operation: str,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    logger: FilteringBoundLogger = log,
) -> T:
    """Call `fn` through `breaker`, retrying TransientErrors per `policy`.

    An open breaker ends the attempts at once (CircuitOpenError). PermanentErrors are
    not retried. The last TransientError is re-raised after the final attempt.
    """
    attempt = 1
    while True:
        try:
            return breaker.call(fn)
        except CircuitOpenError:
            raise
        except TransientError as exc:
            if is_timeout(exc):
                logger.error(
                    "openai_api_timeout", operation=operation, timeout=timeout, attempt=attempt
                )
            else:
                logger.warning(
                    "llm_call_failed", operation=operation, attempt=attempt, error=str(exc)
                )
            if attempt >= policy.attempts:
                raise
        sleep(policy.delay(attempt))
        attempt += 1
