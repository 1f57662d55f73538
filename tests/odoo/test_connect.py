"""connect_odoo and odoo_probe: the configured Odoo, or the process's sandbox Odoo."""

import threading

import pytest
from click.testing import CliRunner

from odoo_engines.core.errors import ConfigError
from odoo_engines.core.settings import OdooSettings, load_settings
from odoo_engines.odoo import OdooAuthError, connect, connect_odoo, odoo_probe, sandbox_account
from odoo_engines_tools.cli import App, cli, main
from odoo_engines_tools.demo import step_odoo


def test_settings_with_a_url_log_into_that_odoo(odoo_env, odoo_db):
    settings = load_settings(odoo_env).odoo
    client = connect_odoo(settings)
    assert client.url == odoo_db.url
    assert client.calls == 3  # logged in already: version, authenticate, context_get
    assert client.check()["db"] == odoo_db.name
    client.close()


def test_odoo_probe_reports_version_uid_and_db(odoo_env, odoo_db):
    detail = odoo_probe(load_settings(odoo_env).odoo)()
    assert detail.startswith("Odoo 17.0 at ")
    assert detail.endswith(f", database {odoo_db.name}, uid 2")


def test_odoo_probe_with_a_wrong_key_is_an_auth_error(odoo_env):
    env = {**odoo_env, "ODOO_PROD_PASSWORD": "not-the-key-1234"}
    with pytest.raises(OdooAuthError):
        odoo_probe(load_settings(env).odoo)()


def test_no_url_starts_one_sandbox_per_process_even_from_many_threads():
    accounts = []
    threads = [
        threading.Thread(target=lambda: accounts.append(sandbox_account())) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({a.url for a in accounts}) == 1
    client = connect_odoo(OdooSettings())
    assert client.url == accounts[0].url
    assert client.search_count("product.product", []) > 100
    client.close()


def test_the_check_command_prints_the_connection(odoo_env, odoo_db, monkeypatch):
    for key, value in odoo_env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(cli, ["odoo", "check"])
    assert result.exit_code == 0, result.output
    assert f"Odoo 17.0 at {odoo_db.url}: database {odoo_db.name}" in result.output


def test_the_check_command_fails_in_one_line_without_the_key(odoo_env, monkeypatch, capsys):
    for key, value in {**odoo_env, "ODOO_PROD_PASSWORD": "bad-key-77aa"}.items():
        monkeypatch.setenv(key, value)
    assert main(["odoo", "check"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("error: Odoo rejected the login for user admin")
    assert "bad-key-77aa" not in err


def test_the_demo_step_reads_products_from_the_sandbox(capsys):
    step_odoo(App(load_settings({})))
    out = capsys.readouterr().out
    assert "Odoo 17.0" in out and "logged in as admin" in out
    assert len([line for line in out.splitlines() if line.startswith("  ")]) == 5


def test_no_url_without_the_tools_installed_is_a_clear_config_error(monkeypatch):
    # A function archive ships odoo_engines alone: no entry point names a sandbox there.
    monkeypatch.setattr(connect, "entry_points", lambda **_: ())
    with pytest.raises(ConfigError, match="ODOO_URL"):
        connect_odoo(OdooSettings())
