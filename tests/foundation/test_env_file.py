"""`.env` in the working directory: read by the CLI (named in its --help), never by the
functions, and `.env.example` lists every variable the suite reads."""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from deploy.production import probe_environment
from odoo_engines.core.settings import SEED_ALIASES, load_settings
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines_tools.cli import cli

ROOT = Path(__file__).resolve().parents[2]
# Starting points that make load_settings read its conditional variables too.
STARTS = (
    {},
    {"USE_TEST_ODOO": "true"},
    {"DB_HOST": "db.example.com"},
    {"CLOUD_SQL_INSTANCE": "p:r:i", "DB_NAME": "d", "DB_USER": "u", "DB_PASSWORD": "p"},
    {"OPENAI_API_KEY": "sk-probe"},
)


@pytest.fixture
def restore_environ():
    """load_dotenv writes os.environ itself: put it back after the test."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_env_example_lists_every_variable_the_suite_reads():
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read: set[str] = set()
    for start in STARTS:
        read |= probe_environment(start)[2]
    read |= {"ODOO_SOURCES", "REAL_ODOO_DIR"}  # read by the real-Odoo harness
    missing = sorted(read - listed - set(SEED_ALIASES.values()))
    assert not missing, f"add {missing} to .env.example"
    assert set(SEED_ALIASES.values()) <= set(
        re.findall(r"seed: (\w+)", (ROOT / ".env.example").read_text())
    )


def test_the_cli_reads_env_from_the_working_directory(
    tmp_path, monkeypatch, restore_environ, database_url
):
    (tmp_path / ".env").write_text(f"DATABASE_URL={database_url}\nENVIRONMENT=test\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("EMBEDDED_PG_DIR", str(tmp_path / "must-not-start"))
    result = CliRunner().invoke(cli, ["db", "status"])
    assert result.exit_code == 0, result.output
    assert "(socket)" in result.output  # the .env's database, not the embedded default
    helped = CliRunner().invoke(cli, ["--help"])
    assert f"then {tmp_path / '.env'} for what it does not set" in " ".join(helped.output.split())


def test_the_environment_wins_over_env(tmp_path, monkeypatch, restore_environ, database_url):
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://nobody@127.0.0.1:9/none\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(cli, ["db", "status"])
    assert result.exit_code == 0, result.output


def test_help_says_when_there_is_no_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    helped = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert f"the environment only (no .env in {tmp_path}; see .env.example)" in helped


def test_functions_never_read_env(tmp_path, monkeypatch):
    """What a function's main.py calls: load_settings, which reads the environment alone."""
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\nENVIRONMENT=staging\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    settings = load_settings()
    assert (settings.log_level, settings.environment) == ("INFO", "local")


def test_the_seeds_moved_names_are_read_when_the_new_ones_are_not_set():
    seed = {"POLLER_LOG_LEVEL": "debug", "POLLER_DEFAULT_WEBHOOK_URL": "https://hooks.example.com"}
    settings = load_settings(seed)
    assert settings.log_level == "DEBUG"
    assert load_orders_settings(seed).default_webhook_url == "https://hooks.example.com"
    both = load_settings({**seed, "LOG_LEVEL": "error"})
    assert both.log_level == "ERROR"
