"""Fixtures of the deploy tests: clean virtualenvs shared across the session."""

import shutil

import pytest

from deploy.venvs import CleanVenvs


@pytest.fixture(scope="session")
def clean_venvs(tmp_path_factory):
    """Clean virtualenvs, one per distinct requirements.txt, built on first use."""
    root = tmp_path_factory.mktemp("venvs")
    yield CleanVenvs(root)
    # A few hundred MB each: not worth keeping with pytest's last temporary folders.
    shutil.rmtree(root, ignore_errors=True)
