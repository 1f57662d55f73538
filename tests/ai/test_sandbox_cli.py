"""`odoo-engines sandbox openai|sink` run the stand-ins in the foreground."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest


def _started(args: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "odoo_engines_tools", "sandbox", *args, "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    first_line = process.stdout.readline()
    url = re.search(r"http://127\.0\.0\.1:\d+(/v1)?", first_line)
    if url is None:
        process.kill()
        pytest.fail(f"no URL in {first_line!r}")
    return process, url.group()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def test_sandbox_openai_serves_with_the_given_key():
    process, url = _started(["openai", "--api-key", "sk-cli"])
    try:
        assert httpx.get(f"{url}/models", timeout=5).status_code == 401
        answer = httpx.get(f"{url}/models", headers={"Authorization": "Bearer sk-cli"}, timeout=5)
        assert answer.status_code == 200
    finally:
        _stop(process)


def test_sandbox_sink_records_and_prints_deliveries():
    process, url = _started(["sink"])
    try:
        assert httpx.post(f"{url}/hook", json={"a": 1}, timeout=5).status_code == 200
        assert re.search(r"POST /hook \d+ bytes -> 200", process.stdout.readline())
    finally:
        _stop(process)
