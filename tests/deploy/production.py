"""What Terraform deploys, read without the terraform binary: its HCL (python-hcl2), the
environment each function gets, and the secret variables odoo_engines.core.settings reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

from odoo_engines.core.errors import ConfigError
from odoo_engines.core.settings import load_settings
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines.sales.settings import load_sales_settings
from odoo_engines_tools.packaging import FunctionManifest

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "terraform"
FUNCTIONS = ROOT / "functions"

# Values a deployment with the default variables gives the computed entries of
# `local.common_env`.
COMPUTED_ENV = {
    "GCP_PROJECT_ID": "demo-project",
    "ORDERS_JOBS_PROJECT": "demo-project",  # tenant_jobs_project = "": the same project
    "CLOUD_SQL_INSTANCE": "demo-project:us-central1:odoo-engines-db",
    "DB_NAME": "odoo_engines",
    "DB_IAM_AUTH": "false",
}
FAKE_SECRETS = {"ODOO_PROD_URL": "https://odoo.example.com"}


@cache
def terraform() -> dict[str, Any]:
    """All of terraform/*.tf merged: {"resource": {type: {name: body}}, "locals": {...}, ...}."""
    options = hcl2.SerializationOptions(
        strip_string_quotes=True, with_comments=False, explicit_blocks=False
    )
    merged: dict[str, Any] = {kind: {} for kind in ("resource", "data", "variable", "output")}
    merged["locals"] = {}
    for path in sorted(TERRAFORM.glob("*.tf")):
        with path.open() as handle:
            parsed = hcl2.load(handle, serialization_options=options)
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
        for kind in ("variable", "output"):
            for block in parsed.get(kind, []):
                merged[kind].update(block)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_name, named in block.items():
                    merged[kind].setdefault(type_name, {}).update(named)
    return merged


def resource(type_name: str, name: str) -> dict[str, Any]:
    """The body of one resource block."""
    return terraform()["resource"][type_name][name]


def variable_default(name: str) -> Any:
    return terraform()["variable"][name].get("default")


def _plain(name: str, expression: Any) -> str:
    match = re.fullmatch(r"\$\{var\.(\w+)\}", str(expression))
    if match and variable_default(match.group(1)) is not None:
        return str(variable_default(match.group(1)))
    if "${" in str(expression):
        return COMPUTED_ENV.get(name, f"computed-{name.lower()}")
    return str(expression)


def production_env(manifest: FunctionManifest) -> dict[str, str]:
    """The environment Terraform gives the function, with made-up secret values."""
    env = {name: _plain(name, value) for name, value in terraform()["locals"]["common_env"].items()}
    timeout = manifest.timeout_seconds
    env["DB_USER"] = str(variable_default("db_user"))
    env["TIME_BUDGET_SECONDS"] = str(max(int(timeout * 0.8), timeout - 60))  # as functions.tf
    for secret in manifest.secrets:
        env[secret] = FAKE_SECRETS.get(secret, f"made-up-{secret.lower()}")
    return env


class _Recording(Mapping[str, str]):
    """An environment that remembers which variables were read."""

    def __init__(self, values: Mapping[str, str]):
        self.values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        self.read.add(name)
        return self.values.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def _hidden_values(obj: Any) -> set[str]:
    """Values of the settings' `repr=False` fields: how config.py marks a secret."""
    found: set[str] = set()
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        if dataclasses.is_dataclass(value):
            found |= _hidden_values(value)
        elif not field.repr and isinstance(value, str):
            found.add(value)
    return found


# The engines' settings slices, read beside load_settings (each from the same environment).
SLICES = (load_orders_settings, load_sales_settings)


def _load_all(env: Mapping[str, str]) -> tuple[Any, ...]:
    return (load_settings(env), *(load(env) for load in SLICES))


def probe_environment(env: Mapping[str, str]) -> tuple[tuple[Any, ...], dict[str, str], set[str]]:
    """load_settings and the engines' slices over `env`, every variable they read but
    `env` leaves unset tried with a unique text value (kept when config accepts it): the
    settings, the environment that gave them, and every variable name read on the way."""
    probe = dict(env)
    tried: set[str] = set()
    while True:
        recording = _Recording(probe)
        settings = _load_all(recording)
        untried = recording.read - probe.keys() - tried
        if not untried:
            return settings, probe, tried | recording.read
        for name in sorted(untried):
            tried.add(name)
            trial = {**probe, name: f"probe-{name.lower()}"}
            try:
                _load_all(trial)
            except ConfigError:
                continue
            probe = trial


def secret_variables(env: Mapping[str, str]) -> set[str]:
    """Variables load_settings reads in production whose value ends up in a secret field,
    found by `probe_environment`, so a secret an engine adds to config.py needs no list."""
    loaded, probe, _ = probe_environment(env)
    hidden = set().union(*(_hidden_values(settings) for settings in loaded))
    return {name for name, value in probe.items() if value in hidden}
