"""Fixtures of the deploy tests: clean virtualenvs shared across the session."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from deploy.venvs import CleanVenvs


@pytest.fixture(scope="session")
def clean_venvs():
    """Clean virtualenvs, one per distinct requirements.txt, built on first use."""
    root = Path(tempfile.mkdtemp(prefix="odoo-engines-venvs-"))
    yield CleanVenvs(root)
    # Hundreds of MB each: removed in the background rather than making the session wait.
    subprocess.Popen(["rm", "-rf", str(root)])  # noqa: S603, S607 (fixed command)
