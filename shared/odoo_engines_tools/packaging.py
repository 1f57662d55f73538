"""The deployable functions: their manifests and the archives Cloud Functions builds.

Each `functions/<name>/function.json` says how the function is triggered and deployed;
Terraform reads the same files (`terraform/functions.tf`) and applies the same DEFAULTS.
An archive is the function's folder plus the vendored `odoo_engines` package at its root;
the tools (this package: CLI, demo, consoles, sandbox, packaging) are never shipped.
Archives are byte-for-byte reproducible (sorted entries, fixed timestamps and modes), so
Terraform names them by their SHA-256 and only a change of code redeploys a function.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import odoo_engines
from odoo_engines.core.errors import ConfigError

PACKAGE_DIR = Path(odoo_engines.__file__).resolve().parent
# Never shipped: caches, dotfiles (.env!) and tests.
EXCLUDED_DIRS = {"__pycache__", "tests"}
EXCLUDED_SUFFIXES = (".pyc", ".pyo")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry

# A Pub/Sub push subscription waits at most 600 s for an answer; an event function must
# answer before that, or the message is delivered again while it still runs.
MAX_EVENT_TIMEOUT = 540
MAX_HTTP_TIMEOUT = 3600

# Keys a manifest may leave out. terraform/functions.tf has the same `manifest_defaults`
# (tests/deploy checks they agree).
DEFAULTS: dict[str, Any] = {
    "description": "",
    "topic": None,
    "schedule": None,
    "timeout_seconds": 60,
    "memory": "256Mi",
    "max_instances": 3,
    "secrets": [],
    "publishes": [],
    "ingress": "internal",
    "invoker": "iam",
    "tenant_access": "none",
}
REQUIRED = ("entry_point", "trigger")
TRIGGERS = ("pubsub", "http")
INGRESS = ("internal", "all")
INVOKERS = ("iam", "public")
TENANT_ACCESS = ("none", "webhook", "read", "admin")

# Service account ids are 6 to 30 characters and Terraform names them `fn-<name>`.
_NAME = re.compile(r"^[a-z][a-z0-9-]{1,25}[a-z0-9]$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOPIC = re.compile(r"^[a-z][a-z0-9-]{2,254}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MEMORY = re.compile(r"^[1-9][0-9]*(Mi|Gi)$")
_CRON_FIELDS = 5


@dataclass(frozen=True)
class FunctionManifest:
    """One deployable function, read from `functions/<name>/function.json`."""

    name: str
    folder: Path
    entry_point: str
    trigger: str
    topic: str | None
    schedule: str | None
    description: str
    timeout_seconds: int
    memory: str
    max_instances: int
    secrets: tuple[str, ...]
    publishes: tuple[str, ...]
    ingress: str
    invoker: str
    tenant_access: str

    @property
    def has_code(self) -> bool:
        """True once the folder holds its main.py (engines land one by one)."""
        return (self.folder / "main.py").is_file()


def functions_dir() -> Path:
    """`FUNCTIONS_DIR`, else `functions/` of this checkout, else `./functions`."""
    configured = os.environ.get("FUNCTIONS_DIR")
    if configured:
        return Path(configured)
    beside = PACKAGE_DIR.parents[1] / "functions"
    return beside if beside.is_dir() else Path("functions")


def load_manifest(folder: Path) -> FunctionManifest:
    """Read and check `folder/function.json`; ConfigError names the file and the key."""
    path = folder / "function.json"
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    unknown = sorted(set(raw) - set(DEFAULTS) - set(REQUIRED))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}")
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        raise ConfigError(f"{path}: missing key(s) {', '.join(missing)}")
    spec = {**DEFAULTS, **raw}

    def fail(key: str, why: str) -> ConfigError:
        return ConfigError(f"{path}: {key} {why}, got {spec[key]!r}")

    name = folder.name
    if not _NAME.match(name):
        raise ConfigError(f"{folder}: a function's folder name must be 3 to 27 of a-z, 0-9, -")
    if not isinstance(spec["entry_point"], str) or not _IDENTIFIER.match(spec["entry_point"]):
        raise fail("entry_point", "must be a Python name")
    if spec["trigger"] not in TRIGGERS:
        raise fail("trigger", f"must be one of {', '.join(TRIGGERS)}")
    event = spec["trigger"] == "pubsub"
    if event and not (isinstance(spec["topic"], str) and _TOPIC.match(spec["topic"])):
        raise fail("topic", "must name the Pub/Sub topic of a pubsub function")
    if not event and (spec["topic"] is not None or spec["schedule"] is not None):
        raise ConfigError(f"{path}: an http function has no topic and no schedule")
    if spec["schedule"] is not None and (
        not isinstance(spec["schedule"], str) or len(spec["schedule"].split()) != _CRON_FIELDS
    ):
        raise fail("schedule", "must be a cron expression of five fields")
    limit = MAX_EVENT_TIMEOUT if event else MAX_HTTP_TIMEOUT
    if not _is_int(spec["timeout_seconds"]) or not 1 <= spec["timeout_seconds"] <= limit:
        raise fail("timeout_seconds", f"must be a whole number from 1 to {limit}")
    if not isinstance(spec["memory"], str) or not _MEMORY.match(spec["memory"]):
        raise fail("memory", "must look like 512Mi or 2Gi")
    if not _is_int(spec["max_instances"]) or spec["max_instances"] < 1:
        raise fail("max_instances", "must be a whole number of at least 1")
    for key, pattern in (("secrets", _ENV_NAME), ("publishes", _TOPIC)):
        values = spec[key]
        if not isinstance(values, list) or not all(
            isinstance(v, str) and pattern.match(v) for v in values
        ):
            raise fail(key, "must be a list of names")
        if len(set(values)) != len(values):
            raise fail(key, "must not repeat a name")
    for key, choices in (
        ("ingress", INGRESS),
        ("invoker", INVOKERS),
        ("tenant_access", TENANT_ACCESS),
    ):
        if spec[key] not in choices:
            raise fail(key, f"must be one of {', '.join(choices)}")
    if event and (spec["ingress"], spec["invoker"]) != ("internal", "iam"):
        raise ConfigError(f"{path}: a pubsub function is internal and invoked through IAM only")
    if not isinstance(spec["description"], str):
        raise fail("description", "must be text")
    return FunctionManifest(
        name=name,
        folder=folder,
        entry_point=spec["entry_point"],
        trigger=spec["trigger"],
        topic=spec["topic"],
        schedule=spec["schedule"],
        description=spec["description"],
        timeout_seconds=spec["timeout_seconds"],
        memory=spec["memory"],
        max_instances=spec["max_instances"],
        secrets=tuple(spec["secrets"]),
        publishes=tuple(spec["publishes"]),
        ingress=spec["ingress"],
        invoker=spec["invoker"],
        tenant_access=spec["tenant_access"],
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def list_manifests(directory: Path | None = None) -> list[FunctionManifest]:
    """Every function folder with a manifest, sorted by name."""
    root = directory or functions_dir()
    return [load_manifest(path.parent) for path in sorted(root.glob("*/function.json"))]


def _shipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return not (
        any(part.startswith(".") or part in EXCLUDED_DIRS for part in parts)
        or path.name.endswith(EXCLUDED_SUFFIXES)
    )


def archive_entries(folder: Path, package_dir: Path = PACKAGE_DIR) -> list[tuple[str, Path]]:
    """(name in the archive, file) pairs: the folder's files, then `odoo_engines/...`."""
    entries = [
        (path.relative_to(folder).as_posix(), path)
        for path in folder.rglob("*")
        if path.is_file() and _shipped(path, folder)
    ]
    entries += [
        (f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}", path)
        for path in package_dir.rglob("*")
        if path.is_file() and _shipped(path, package_dir)
    ]
    names = [name for name, _ in entries]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ConfigError(f"{folder}: files clash with the vendored package: {clashes}")
    return sorted(entries)


def build_archive(
    manifest: FunctionManifest, out_dir: Path, package_dir: Path = PACKAGE_DIR
) -> Path:
    """Write `out_dir/<name>.zip` (reproducible) and return its path."""
    if not manifest.has_code:
        raise ConfigError(f"{manifest.folder} has no main.py to deploy")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{manifest.name}.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in archive_entries(manifest.folder, package_dir):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file: what Terraform's `filesha256` names the uploaded object by."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_all(out_dir: Path, directory: Path | None = None) -> list[Path]:
    """Build every function's archive into `out_dir`; stale archives there are removed."""
    manifests = list_manifests(directory)
    if not manifests:
        raise ConfigError(f"no function manifests under {directory or functions_dir()}")
    built = [build_archive(m, out_dir) for m in manifests]
    for stale in set(out_dir.glob("*.zip")) - set(built):
        stale.unlink()
    return built
