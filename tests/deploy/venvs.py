"""Clean virtualenvs that hold only a function's requirements.txt, as Cloud Functions builds.

One virtualenv per distinct requirements text, made once per test session and shared by
the functions that have the same requirements. pip's cache keeps repeated installs quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

INSTALL_TIMEOUT = 600
IMPORT_TIMEOUT = 120

# Runs inside the clean virtualenv, in the unpacked archive: what the platform does.
IMPORT_MAIN = """
import importlib, json, sys
root, entry_point = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
main = importlib.import_module("main")
import odoo_engines
print(json.dumps({
    "callable": callable(getattr(main, entry_point, None)),
    "package": odoo_engines.__file__,
}))
"""


class CleanVenvs:
    """Builds and hands out clean virtualenvs keyed by their requirements text."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def python(self, requirements: str) -> Path:
        """The interpreter of a virtualenv holding exactly `requirements` (built once)."""
        key = hashlib.sha256(requirements.encode()).hexdigest()[:16]
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        venv = self.root / key
        python = venv / "bin" / "python"
        with lock:
            if not (venv / ".ready").exists():
                self._build(venv, requirements)
        return python

    def prepare(self, requirement_texts: list[str]) -> None:
        """Build several virtualenvs two at a time (pip is mostly waiting on disk)."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(self.python, sorted(set(requirement_texts))))

    @staticmethod
    def _build(venv: Path, requirements: str) -> None:
        # No pip inside: this session's pip installs into it (`--python`), which saves
        # seconds per virtualenv and leaves it holding only the requirements.
        command = [sys.executable, "-m", "venv", "--without-pip", str(venv)]
        subprocess.run(command, check=True, timeout=120)  # noqa: S603 (fixed command)
        listed = venv / "requirements.txt"
        listed.write_text(requirements)
        result = subprocess.run(  # noqa: S603 (fixed command)
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(venv / "bin" / "python"),
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-compile",
                "-r",
                str(listed),
            ],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
        )
        if result.returncode != 0:
            raise AssertionError(f"pip install -r requirements.txt:\n{result.stderr[-3000:]}")
        (venv / ".ready").touch()


def unpack(archive: Path, into: Path) -> Path:
    """Extract a function's archive the way the platform does; returns the folder."""
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(into)
    return into


def import_main(python: Path, source: Path, entry_point: str, env: dict[str, str]):
    """Import main.py from `source` with `python` (isolated); the check's JSON, or the error."""
    result = subprocess.run(  # noqa: S603 (fixed command)
        [str(python), "-I", "-c", IMPORT_MAIN, str(source), entry_point],
        cwd=source,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env},
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT,
    )
    if result.returncode != 0:
        return None, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr
