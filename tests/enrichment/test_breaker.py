"""The circuit breaker and retry policy on a fake clock: exact state changes."""

from __future__ import annotations

import pytest

from odoo_engines.core.errors import PermanentError, TransientError
from odoo_engines.enrichment.resilience import (
    CallRetries,
    CircuitBreaker,
    CircuitOpenError,
    call_with_retries,
)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _fail():
    raise TransientError("provider 500")


def test_opens_after_threshold_consecutive_failures_and_stops_calling():
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=60, clock=clock)
    for _ in range(3):
        with pytest.raises(TransientError):
            breaker.call(_fail)
    assert breaker.state == "open"
    calls = []
    with pytest.raises(CircuitOpenError) as raised:
        breaker.call(lambda: calls.append(1))
    assert calls == [] and raised.value.retry_after == 60
    assert breaker.snapshot()["consecutive_failures"] == 3


def test_success_resets_the_consecutive_count():
    breaker = CircuitBreaker(failure_threshold=2, clock=Clock())
    with pytest.raises(TransientError):
        breaker.call(_fail)
    assert breaker.call(lambda: "ok") == "ok"
    with pytest.raises(TransientError):
        breaker.call(_fail)
    assert breaker.state == "closed"


def test_half_open_lets_one_trial_through_and_success_closes():
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, open_seconds=10, clock=clock)
    with pytest.raises(TransientError):
        breaker.call(_fail)
    clock.now += 10
    assert breaker.state == "half_open"

    def trial():
        # a second caller while the trial is in flight is turned away
        with pytest.raises(CircuitOpenError):
            breaker.call(lambda: "second")
        return "trial"

    assert breaker.call(trial) == "trial"
    assert breaker.state == "closed"


def test_failed_trial_opens_again_for_a_full_period():
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=5, open_seconds=10, clock=clock)
    for _ in range(5):
        with pytest.raises(TransientError):
            breaker.call(_fail)
    clock.now += 10
    with pytest.raises(TransientError):
        breaker.call(_fail)
    assert breaker.state == "open"
    clock.now += 9.9
    assert breaker.state == "open"
    clock.now += 0.1
    assert breaker.state == "half_open"


def test_permanent_errors_do_not_count_as_outages():
    breaker = CircuitBreaker(failure_threshold=1, clock=Clock())

    def refuse():
        raise PermanentError("refused")

    for _ in range(3):
        with pytest.raises(PermanentError):
            breaker.call(refuse)
    assert breaker.state == "closed"


def test_retries_wait_one_two_four_seconds_by_default():
    sleeps = []
    breaker = CircuitBreaker(failure_threshold=10, clock=Clock())
    with pytest.raises(TransientError):
        call_with_retries(
            _fail, CallRetries(4, 1.0), breaker, operation="t", timeout=30, sleep=sleeps.append
        )
    assert sleeps == [1.0, 2.0, 4.0]
    assert CallRetries().attempts == 3


def test_retries_stop_as_soon_as_the_breaker_opens():
    attempts = []
    breaker = CircuitBreaker(failure_threshold=2, clock=Clock())

    def fail():
        attempts.append(1)
        _fail()

    with pytest.raises(CircuitOpenError):
        call_with_retries(
            fail, CallRetries(5, 0), breaker, operation="t", timeout=30, sleep=lambda s: None
        )
    assert len(attempts) == 2


def test_a_permanent_error_is_not_retried():
    attempts = []

    def refuse():
        attempts.append(1)
        raise PermanentError("no")

    with pytest.raises(PermanentError):
        call_with_retries(
            refuse, CallRetries(3, 0), CircuitBreaker(clock=Clock()), operation="t", timeout=30
        )
    assert attempts == [1]
