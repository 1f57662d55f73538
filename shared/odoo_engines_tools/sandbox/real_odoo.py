"""Real Odoo 17.0, 18.0 and 19.0 on this machine: the reference the sandbox is checked against.

From the sources (`ODOO_SOURCES`: a folder holding `odoo-<series>.tar.xz` archives or
`odoo-<series>/` checkouts; by default `../shared/odoo` beside the repository) to running
servers, each step done once and kept under `.data/real-odoo/` (`REAL_ODOO_DIR`):

1. the sources unpacked and a virtualenv with their `requirements.txt` (`psycopg2-binary`
   for `psycopg2`; no `python-ldap`), about 30 s per series;
2. on a PostgreSQL of its own (the embedded one, role `odoo`), two template databases per
   series, installed by Odoo itself: `sales` (`sale_management` only, no Inventory) and
   `full` (sales, stock, purchase, manufacturing, attachment text), each seeded as a
   company would set it up (see `shop.seed`): about a minute per series;
3. one server per series on 127.0.0.1 (`--workers=0`) serving every copy of its
   templates: a test takes a fresh copy (`CREATE DATABASE … TEMPLATE`, milliseconds).

Template names carry `SEED_VERSION` and a fingerprint of the sources, so a change of
either builds new ones; a half-built template is never used (built under another name,
renamed when done).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pg8000.dbapi

from odoo_engines.core.errors import PermanentError

SERIES = ("17.0", "18.0", "19.0")
SALES_APPS = ("sale_management",)
FULL_APPS = ("sale_stock", "purchase_stock", "mrp", "sale_mrp", "purchase_mrp",
             "attachment_indexation")  # fmt: skip
APPS = ("sales", "full")
SEED_VERSION = 4  # bump when `seed` or the apps change: template names carry it
ROLE = "odoo"
ADMIN_PASSWORD = "admin"  # noqa: S105 - a local test server's well-known admin password
INTEGRATION_LOGIN = "integration"
SPANISH = "es_CL"
INSTALL_TIMEOUT = 900.0
PR_SET_PDEATHSIG = 1  # prctl(2)
REPO = Path(__file__).resolve().parents[3]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


class RealOdooError(PermanentError):
    """The real Odoo could not be found, built or started; the message says why."""


def find_sources(environ: dict[str, str] | None = None) -> Path | None:
    """`ODOO_SOURCES`, else `../shared/odoo` beside the repository or the working folder."""
    environ = os.environ if environ is None else environ
    if environ.get("ODOO_SOURCES"):
        path = Path(environ["ODOO_SOURCES"]).expanduser()
        if not path.is_dir():
            raise RealOdooError(f"ODOO_SOURCES={path} is not a folder")
        return path.resolve()
    for candidate in (REPO.parent / "shared" / "odoo", Path.cwd().parent / "shared" / "odoo"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def available_series(sources: Path | None) -> list[str]:
    """The series whose sources are in `sources` (archive or checkout)."""
    if sources is None:
        return []
    return [s for s in SERIES if _archive(sources, s).is_file() or _checkout(sources, s)]


def _archive(sources: Path, series: str) -> Path:
    return sources / f"odoo-{series}.tar.xz"


def _checkout(sources: Path, series: str) -> Path | None:
    path = sources / f"odoo-{series}"
    return path if (path / "odoo" / "release.py").is_file() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- PostgreSQL --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """The PostgreSQL the real servers use: its socket and an admin connection factory."""

    socket: str

    @property
    def host(self) -> str:
        return self.socket.rsplit("/", 1)[0]

    @property
    def port(self) -> int:
        return int(self.socket.rsplit(".", 1)[-1])

    def admin(self, database: str = "postgres") -> pg8000.dbapi.Connection:
        conn = pg8000.dbapi.connect(user="postgres", unix_sock=self.socket, database=database)
        conn.autocommit = True
        return conn

    def sql(self, statement: str, *args, database: str = "postgres") -> list:
        conn = self.admin(database)
        try:
            cur = conn.cursor()
            cur.execute(statement, args)
            return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def databases(self, prefix: str) -> list[str]:
        rows = self.sql("SELECT datname FROM pg_database WHERE datname LIKE %s", prefix + "%")
        return sorted(r[0] for r in rows)

    def copy(self, template: str, name: str) -> None:
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def rename(self, old: str, new: str) -> None:
        self.sql(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


def start_cluster(datadir: Path) -> Cluster:
    """The embedded PostgreSQL in `datadir` (started once per process) with Odoo's role.

    Odoo refuses to connect as `postgres`, so its servers use the role `odoo`.
    """
    from odoo_engines.core.db.connection import embedded_socket

    cluster = Cluster(embedded_socket(datadir))
    if not cluster.sql("SELECT 1 FROM pg_roles WHERE rolname = %s", ROLE):
        cluster.sql(f"CREATE ROLE {ROLE} SUPERUSER LOGIN PASSWORD '{ROLE}'")
    return cluster


# -- one series ----------------------------------------------------------------------------


@dataclass
class Account:
    """A login of a real database: password for JSON-RPC, API key for JSON-2."""

    login: str
    password: str
    api_key: str


@dataclass
class RealDatabase:
    """A copy of a template, served by its series' server."""

    series: str
    apps: str
    name: str
    url: str
    admin: Account
    integration: Account
    facts: dict = field(default_factory=dict)  # what the seed made: ids by name


class RealOdoo:
    """One Odoo series: its sources, virtualenv, templates and server."""

    def __init__(self, series: str, sources: Path, root: Path, cluster: Cluster,
                 progress: Progress = _quiet):  # fmt: skip
        if series not in SERIES:
            raise RealOdooError(f"unknown series {series!r}: one of {', '.join(SERIES)}")
        self.series = series
        self.sources = sources
        self.cluster = cluster
        self.progress = progress
        self.home = root / series
        self.slug = series.replace(".", "_")
        self._lock = threading.RLock()
        self._server: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = None

    # paths
    @property
    def tree(self) -> Path:
        return _checkout(self.sources, self.series) or self.home / "src" / f"odoo-{self.series}"

    @property
    def python(self) -> Path:
        return self.home / "venv" / "bin" / "python"

    @property
    def url(self) -> str:
        if self.port is None:
            raise RealOdooError(f"Odoo {self.series} is not running")
        return f"http://127.0.0.1:{self.port}"

    def fingerprint(self) -> str:
        archive = _archive(self.sources, self.series)
        if archive.is_file():
            stat = archive.stat()
            basis = f"{archive.name}:{stat.st_size}:{int(stat.st_mtime)}"
        else:
            basis = (self.tree / "odoo" / "release.py").read_text()
        return hashlib.sha256(f"{basis}:{SEED_VERSION}".encode()).hexdigest()[:8]

    def template_name(self, apps: str) -> str:
        return f"tmpl_{self.slug}_{apps}_{self.fingerprint()}"

    # 1. sources and virtualenv
    def prepare(self) -> None:
        with self._lock:
            self._unpack()
            self._virtualenv()

    def _unpack(self) -> None:
        if _checkout(self.sources, self.series):
            return
        stamp = self.home / "src" / ".unpacked"
        if stamp.is_file() and stamp.read_text() == self.fingerprint():
            return
        self.progress(f"Odoo {self.series}: unpacking the sources")
        shutil.rmtree(self.home / "src", ignore_errors=True)
        (self.home / "src").mkdir(parents=True)
        with tarfile.open(_archive(self.sources, self.series)) as archive:
            archive.extractall(self.home / "src", filter="data")
        stamp.write_text(self.fingerprint())

    def requirements(self) -> str:
        """The tree's requirements for this Python, with binary psycopg2 and no LDAP."""
        lines = []
        for line in (self.tree / "requirements.txt").read_text().splitlines():
            name = re.split(r"[\s=<>;~!]", line.strip(), maxsplit=1)[0].lower()
            if name in ("python-ldap", "pypiwin32", "psycopg2"):
                continue
            lines.append(line)
        lines.append("psycopg2-binary>=2.9.9")
        return "\n".join(lines) + "\n"

    def _virtualenv(self) -> None:
        venv = self.home / "venv"
        wanted = hashlib.sha256(self.requirements().encode()).hexdigest()
        stamp = venv / ".installed"
        if stamp.is_file() and stamp.read_text() == wanted and self.python.exists():
            return
        self.progress(f"Odoo {self.series}: building its virtualenv (about 30 s)")
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)], what="python -m venv")
        requirements = self.home / "requirements.txt"
        requirements.write_text(self.requirements())
        constraints = self.home / "constraints.txt"
        # One of 18.0's and 19.0's pinned sdists imports pkg_resources while building.
        constraints.write_text("setuptools<70\n")
        _run([str(self.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "-r", str(requirements)], what=f"pip install (Odoo {self.series})",
             env={"PIP_CONSTRAINT": str(constraints)}, timeout=INSTALL_TIMEOUT)  # fmt: skip
        stamp.write_text(wanted)

    @property
    def addons_paths(self) -> list[Path]:
        """Odoo's addons, then this repository's addon for the series (`odoo_addons/`)."""
        ours = REPO / "odoo_addons" / self.series
        return [self.tree / "odoo" / "addons", *([ours] if ours.is_dir() else [])]

    def install(self, database: str, modules: str, *, test: bool = False) -> str:
        """Install `modules` into `database` (`test`: with their Odoo tests); the log."""
        args = ["-d", database, "-i", modules, "--stop-after-init", "--log-level=info"]
        if test:
            args += ["--test-enable", f"--test-tags=/{modules.split(',')[0]}"]
        return self._odoo(*args, what=f"install {modules}", stderr=True)

    # 2. templates
    def odoo_command(self, *args: str, command: str | None = None) -> list[str]:
        """The `odoo` launcher of this series (`command`: e.g. `shell`), on the cluster."""
        return [
            str(self.python),
            str(self.tree / "setup" / "odoo"),
            *([command] if command else []),
            f"--addons-path={','.join(str(p) for p in self.addons_paths)}",
            f"--db_host={self.cluster.host}",
            f"--db_port={self.cluster.port}",
            f"--db_user={ROLE}",
            f"--db_password={ROLE}",
            f"--data-dir={self.home / 'filestore'}",
            *args,
        ]

    def _odoo(self, *args: str, command: str | None = None, stdin: str | None = None,
              what: str, stderr: bool = False) -> str:  # fmt: skip
        env = {"PYTHONPATH": str(self.tree)}
        return _run(self.odoo_command(*args, command=command), what=what, env=env, stdin=stdin,
                    timeout=INSTALL_TIMEOUT, stderr=stderr)  # fmt: skip

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This series' build, one process at a time (two test runs share `.data`)."""
        self.home.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.home / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def templates(self) -> dict[str, str]:
        """Both templates, built if missing: {"sales": name, "full": name}."""
        with self._exclusive():
            self.prepare()
            names = {apps: self.template_name(apps) for apps in APPS}
            existing = set(self.cluster.databases(f"tmpl_{self.slug}_"))
            for stale in existing - set(names.values()):
                self.cluster.drop(stale)
            if all(name in existing for name in names.values()):
                return names
            bare = f"build_{self.slug}_{uuid.uuid4().hex[:6]}"
            started = time.monotonic()
            self.progress(f"Odoo {self.series}: installing Sales (about 40 s)")
            self._odoo("-d", bare, "-i", ",".join(SALES_APPS), "--without-demo=all",
                       "--stop-after-init", "--log-level=warn", what="install sales")  # fmt: skip
            full = f"{bare}_full"
            self._copy(bare, full)
            self.progress(f"Odoo {self.series}: installing Inventory, Purchase, Manufacturing")
            self._odoo("-d", full, "-i", ",".join(FULL_APPS), "--without-demo=all",
                       "--stop-after-init", "--log-level=warn", what="install full")  # fmt: skip
            self.progress(f"Odoo {self.series}: seeding the company")
            for apps, build in (("sales", bare), ("full", full)):
                self._seed(build, apps)
                self.cluster.drop(names[apps])
                self.cluster.rename(build, names[apps])
                self._move_filestore(build, names[apps])
            self.progress(
                f"Odoo {self.series}: templates ready in {time.monotonic() - started:.0f} s"
            )
            return names

    def _seed(self, database: str, apps: str) -> None:
        keys = self._api_keys(database)
        with self.serving():
            from .shop import seed

            facts = seed(self.url, database, self.series, apps, keys)
        self._save_facts(database, {"keys": keys, **facts})
        self.drop_connections(database)

    def _api_keys(self, database: str) -> dict[str, str]:
        """API keys of admin and the integration user (created here), through `odoo shell`.

        Odoo makes API keys only for a user who has just re-entered the password; its
        shell is the supported way around that for a server's operator.
        """
        script = API_KEY_SCRIPT.format(login=INTEGRATION_LOGIN, series=self.series)
        out = self._odoo("-d", database, "--log-level=warn", "--no-http",
                         command="shell", stdin=script, what="odoo shell (API keys)")  # fmt: skip
        match = re.search(r"^KEYS (\{.*\})$", out, re.MULTILINE)
        if not match:
            raise RealOdooError(f"Odoo {self.series} shell printed no API keys:\n{out[-2000:]}")
        return json.loads(match.group(1))

    def _save_facts(self, database: str, facts: dict) -> None:
        # Kept in the database itself, so every copy carries them.
        value = json.dumps(facts)
        self.cluster.sql(
            "INSERT INTO ir_config_parameter (key, value, create_date, write_date)"
            " VALUES ('odoo_engines.seed', %s, now(), now())"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            value,
            database=database,
        )

    def _load_facts(self, database: str) -> dict:
        rows = self.cluster.sql(
            "SELECT value FROM ir_config_parameter WHERE key = 'odoo_engines.seed'",
            database=database,
        )
        return json.loads(rows[0][0]) if rows else {}

    def _copy(self, template: str, name: str) -> None:
        self.cluster.copy(template, name)
        source = self.home / "filestore" / "filestore" / template
        if source.is_dir():
            shutil.copytree(source, self.home / "filestore" / "filestore" / name)

    def _move_filestore(self, old: str, new: str) -> None:
        source = self.home / "filestore" / "filestore" / old
        if source.is_dir():
            target = self.home / "filestore" / "filestore" / new
            shutil.rmtree(target, ignore_errors=True)
            source.rename(target)

    def drop_connections(self, database: str) -> None:
        self.cluster.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            database,
        )

    # 3. servers and copies
    def start(self, port: int = 0) -> str:
        """Start the series' server (once); its URL."""
        with self._lock:
            if self._server is not None and self._server.poll() is None:
                return self.url
            self.prepare()
            self.port = port or free_port()
            logs = self.home / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            self._log = (logs / "server.log").open("ab")
            self._server = subprocess.Popen(  # noqa: S603 - Odoo's launcher, our arguments
                self.odoo_command(
                    f"--http-port={self.port}", "--http-interface=127.0.0.1", "--workers=0",
                    "--max-cron-threads=0", "--log-level=warn", "--no-database-list",
                    f"--db-filter=^(build|oe|demo)_{self.slug}_",
                ),
                env={**os.environ, "PYTHONPATH": str(self.tree)},
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,  # the child dies with us
            )
            self._wait_ready()
            return self.url

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RealOdooError(
                    f"Odoo {self.series} exited with {self._server.returncode}; "
                    f"see {self.home / 'logs' / 'server.log'}"
                )
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.post(f"{self.url}/web/webclient/version_info", json={}, timeout=2)
                if answer.status_code == 200:
                    return
            time.sleep(0.2)
        raise RealOdooError(f"Odoo {self.series} did not answer on {self.url} in {timeout:.0f} s")

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.terminate()
                try:
                    self._server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self._server.kill()
                    self._server.wait()
                self._server = None
            if self._log is not None:
                self._log.close()
                self._log = None

    @contextlib.contextmanager
    def serving(self) -> Iterator[str]:
        """The server running for the block; stopped after unless it already ran."""
        running = self._server is not None and self._server.poll() is None
        url = self.start()
        try:
            yield url
        finally:
            if not running:
                self.stop()

    def new_database(self, apps: str = "full", prefix: str = "oe", port: int = 0) -> RealDatabase:
        """A fresh copy of the `apps` template, served (the server is started if needed)."""
        if apps not in APPS:
            raise RealOdooError(f"apps must be one of {', '.join(APPS)}, got {apps!r}")
        template = self.templates()[apps]
        # The pid tells `drop_copies` whether the run that made it is still alive.
        name = f"{prefix}_{self.slug}_{apps}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._copy(template, name)
        self.start(port)
        facts = self._load_facts(name)
        keys = facts.pop("keys")
        return RealDatabase(
            series=self.series,
            apps=apps,
            name=name,
            url=self.url,
            admin=Account("admin", ADMIN_PASSWORD, keys["admin"]),
            integration=Account(INTEGRATION_LOGIN, keys["integration"], keys["integration"]),
            facts=facts,
        )

    def drop_database(self, name: str) -> None:
        self.cluster.drop(name)
        shutil.rmtree(self.home / "filestore" / "filestore" / name, ignore_errors=True)

    def drop_copies(self) -> None:
        """Drop the copies whose process is gone (a killed run's), never the templates."""
        for prefix in ("oe", "demo"):
            for name in self.cluster.databases(f"{prefix}_{self.slug}_"):
                pid = name.rsplit("_", 2)[-2]
                if not (pid.isdigit() and _alive(int(pid))) or int(pid) == os.getpid():
                    self.drop_database(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _die_with_parent() -> None:
    """In the child: SIGTERM when the process that started it dies (a killed test run)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _run(
    command: list[str],
    *,
    what: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120.0,
    stderr: bool = False,
) -> str:
    """`command`'s output (`stderr`: its error stream too, where Odoo logs)."""
    try:
        done = subprocess.run(  # noqa: S603 - our commands (pip, odoo), no shell
            command,
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RealOdooError(f"{what} took longer than {timeout:.0f} s") from None
    if done.returncode != 0:
        raise RealOdooError(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout + (done.stderr if stderr else "")


# Run inside `odoo shell`: the integration user and both API keys.
API_KEY_SCRIPT = """
import json
series = {series!r}
Users = env['res.users'].with_context(no_reset_password=True)
user = Users.search([('login', '=', {login!r})])
if not user:
    user = Users.create({{'name': 'Integration', 'login': {login!r}}})
def key(u, name):
    # sudo: a key without expiry, as an administrator may give an integration
    keys = env['res.users.apikeys'].with_user(u).sudo()
    if series == '17.0':
        return keys._generate(None, name)
    return keys._generate(None, name, None)
result = {{'admin': key(env.ref('base.user_admin'), 'admin'), 'integration': key(user, 'engines')}}
env.cr.commit()
print('KEYS ' + json.dumps(result))
"""


class Harness:
    """Every series found, sharing one cluster under `root`; built lazily, thread-safe."""

    def __init__(self, sources: Path, root: Path, progress: Progress = _quiet):
        self.sources = sources
        self.root = root
        self.progress = progress
        self._cluster: Cluster | None = None
        self._lock = threading.Lock()
        self._series: dict[str, RealOdoo] = {}

    @classmethod
    def from_environment(cls, progress: Progress = _quiet,
                         sources: Path | None = None) -> Harness | None:  # fmt: skip
        """The harness for `sources` (default: `find_sources()`); None when none are there."""
        sources = sources or find_sources()
        if not available_series(sources):
            return None
        root = Path(os.environ.get("REAL_ODOO_DIR") or Path.cwd() / ".data" / "real-odoo")
        return cls(sources, root.resolve(), progress)

    @property
    def series(self) -> list[str]:
        return available_series(self.sources)

    def cluster(self) -> Cluster:
        with self._lock:
            if self._cluster is None:
                self._cluster = start_cluster(self.root / "postgres")
            return self._cluster

    def odoo(self, series: str) -> RealOdoo:
        if series not in self.series:
            raise RealOdooError(f"no sources for Odoo {series} in {self.sources}")
        cluster = self.cluster()
        with self._lock:
            if series not in self._series:
                odoo = RealOdoo(series, self.sources, self.root, cluster, self.progress)
                odoo.drop_copies()
                self._series[series] = odoo
            return self._series[series]

    def stop(self) -> None:
        for odoo in self._series.values():
            odoo.stop()
