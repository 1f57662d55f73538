"""`odoo-engines sandbox odoo` serves until Ctrl-C and says where."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx


def test_cli_serves_the_demo_company_until_interrupted():
    command = [
        sys.executable,
        "-m",
        "odoo_engines_tools",
        "sandbox",
        "odoo",
        "--port",
        "0",
        "--version",
        "saas~17.2+e",
        "--products",
        "30",
        "--seed",
        "3",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        first = process.stdout.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+)", first).group(1)
        assert "database sandbox, login admin" in process.stdout.readline()
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "params": {
                "service": "common",
                "method": "login",
                "args": ["sandbox", "admin", "admin"],
            },
        }
        assert httpx.post(url + "/jsonrpc", json=body).json()["result"] == 2
        version = {
            "jsonrpc": "2.0",
            "id": 2,
            "params": {"service": "common", "method": "version", "args": []},
        }
        assert (
            httpx.post(url + "/jsonrpc", json=version).json()["result"]["server_version"]
            == "saas~17.2+e"
        )
    finally:
        process.send_signal(signal.SIGINT)
        out, _err = process.communicate(timeout=10)
    assert "stopping" in out and process.returncode == 0


def test_cli_refuses_an_unknown_version():
    result = subprocess.run(
        [sys.executable, "-m", "odoo_engines_tools", "sandbox", "odoo", "--version", "12.0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "unsupported Odoo version" in result.stderr
