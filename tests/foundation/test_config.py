"""Configuration comes only from the environment and fails with one clear line."""

import pytest

from odoo_engines.core.errors import ConfigError
from odoo_engines.core.settings import load_settings, parse_database_url


def test_defaults_are_the_embedded_local_stack():
    s = load_settings({})
    assert s.database.mode == "embedded"
    assert s.odoo.is_sandbox
    assert s.embedding.provider == "local"
    assert s.environment == "local"


def test_openai_key_switches_embedding_provider():
    s = load_settings({"OPENAI_API_KEY": "sk-test"})
    assert s.embedding.provider == "openai"
    assert s.embedding.model == "text-embedding-3-small"


def test_socket_database_url_is_parsed():
    parsed = parse_database_url("postgresql://app@/shop?host=/run/pg&port=5433")
    assert parsed["unix_sock"] == "/run/pg/.s.PGSQL.5433"
    assert parsed["user"] == "app" and parsed["name"] == "shop"


def test_tcp_database_url_with_escaped_password():
    parsed = parse_database_url("postgresql://u:p%40ss@db.example:6432/x")
    assert parsed["host"] == "db.example" and parsed["port"] == 6432
    assert parsed["password"] == "p@ss"


def test_seed_db_variables_work():
    s = load_settings(
        {
            "DB_HOST": "10.0.0.5",
            "DB_PORT": "5433",
            "DB_NAME": "products_db",
            "DB_USER": "app",
            "DB_PASSWORD": "pw",
        }
    )
    assert s.database.mode == "tcp" and s.database.port == 5433
    assert s.database.name == "products_db"


def test_use_test_odoo_reads_the_test_variables():
    env = {
        "USE_TEST_ODOO": "true",
        "ODOO_TEST_URL": "https://t.example",
        "ODOO_TEST_DB": "t",
        "ODOO_TEST_USERNAME": "api",
        "ODOO_TEST_PASSWORD": "k",
        "ODOO_PROD_URL": "https://p.example",
    }
    s = load_settings(env)
    assert s.odoo.url == "https://t.example" and s.odoo.db == "t"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DB_PORT": "abc", "DB_HOST": "h"}, "DB_PORT"),
        ({"EMBEDDING_DIMENSIONS": "-3"}, "EMBEDDING_DIMENSIONS"),
        ({"FORCE_FULL_SYNC": "maybe"}, "FORCE_FULL_SYNC"),
        ({"ODOO_PROD_URL": "odoo.example"}, "ODOO_PROD_URL"),
        ({"ODOO_PROD_URL": "https://odoo.example"}, "ODOO_PROD_DB"),
        ({"EMBEDDING_PROVIDER": "openai"}, "OPENAI_API_KEY"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"CLOUD_SQL_INSTANCE": "p:r:i"}, "DB_NAME"),
    ],
)
def test_bad_setting_names_the_variable(env, named):
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert named in str(err.value)
    assert "\n" not in str(err.value)


def test_cli_prints_one_line_for_a_bad_setting(monkeypatch, capsys):
    from odoo_engines_tools.cli import main

    monkeypatch.setenv("EMBEDDING_DIMENSIONS", "many")
    assert main(["db", "status"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "error: EMBEDDING_DIMENSIONS must be a whole number, got 'many'"


def test_production_without_an_odoo_account_refuses_odoo_never_the_sandbox():
    """Functions that do not sync from the main Odoo are not given its credentials: their
    settings load, and any attempt to reach Odoo names the missing variable."""
    from odoo_engines.odoo import connect_odoo

    settings = load_settings({"ENVIRONMENT": "production"})
    assert not settings.odoo.is_sandbox
    with pytest.raises(ConfigError, match="ODOO_PROD_URL is not set"):
        connect_odoo(settings.odoo, login=False)
