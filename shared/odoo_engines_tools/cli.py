"""The `odoo-engines` command: the same logic the functions run, for operators.

Each engine adds its commands in its own `cli.py`; they are attached at the bottom.
Errors print one line (`error: …`) and exit non-zero, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from odoo_engines.core.env_file import describe_env_file, load_env_file
from odoo_engines.core.errors import ConfigError, EngineError, TransientError
from odoo_engines.core.logging import configure_logging

from .app import App, pass_app


class _Root(click.Group):
    """The command group; its help ends with the `.env` file the commands read."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        formatter.write(f"{describe_env_file()}\n")  # unwrapped: a path may be long


@click.group(cls=_Root)
@click.version_option(package_name="odoo-engines")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Keep a company's Odoo data working outside Odoo."""
    load_env_file()
    app = App()
    ctx.obj = app
    ctx.call_on_close(app.close)
    settings = app.settings
    configure_logging(settings.log_level, settings.log_format)


@cli.group()
def db() -> None:
    """Database: migrations and status."""


@db.command("migrate")
@pass_app
def db_migrate(app: App) -> None:
    """Apply pending SQL migrations (under an advisory lock)."""
    from odoo_engines.core.db import Database, migrate
    from odoo_engines.core.db.connection import open_connection

    database = Database(open_connection(app.settings.database))
    try:
        applied = migrate(database, app.settings.embedding.dimensions)
    finally:
        database.close()
    if applied:
        for m in applied:
            click.echo(f"applied {m.version:04d}_{m.name}")
    else:
        click.echo("database is up to date")


@db.command("status")
@pass_app
def db_status(app: App) -> None:
    """Show where the database is and which migrations are applied."""
    database = app.db()
    version = database.fetchval("SHOW server_version")
    vector = database.fetchval("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    click.echo(f"PostgreSQL {version} ({app.settings.database.mode}), pgvector {vector}")
    for version_no, name, applied_at in database.fetchall(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ):
        click.echo(f"  {version_no:04d}_{name}  {applied_at:%Y-%m-%d %H:%M:%S}")


@cli.command("functions")
def functions_list() -> None:
    """List the deployable functions and their triggers."""
    from .sandbox.scheduler import list_functions

    for spec in list_functions():
        trigger = f"pubsub:{spec.topic}" if spec.trigger == "pubsub" else "http"
        click.echo(f"{spec.name:<18} {trigger:<24} {spec.entry_point}")


def _parse_attrs(values: tuple[str, ...]) -> dict[str, str]:
    attrs = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not key=value", param_hint="--attr")
        attrs[key] = value
    return attrs


def _run_summary(row: dict) -> str:
    """The error of a failed run, else the counts its result holds."""
    if row["error"]:
        return row["error"]
    result = row["result"] if isinstance(row["result"], dict) else json.loads(row["result"])
    return ", ".join(
        f"{key} {value}"
        for key, value in result.items()
        if isinstance(value, int) and not isinstance(value, bool)
    )


@cli.command("runs")
@click.option("--job", help="Only this job (product-sync, sales-sync, forecast, ...).")
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many runs."
)
@click.option("--failed", is_flag=True, help="Only runs that failed or did not finish.")
@pass_app
def runs(app: App, job: str | None, limit: int, failed: bool) -> None:
    """The last runs of the jobs (the `runs` table), newest first."""
    from odoo_engines.core.runs import recent_runs

    rows = recent_runs(app.db(), job, limit, failed)
    if not rows:
        click.echo("no runs yet" + (f" of {job}" if job else ""))
        return
    click.echo(f"{'ID':>6}  {'JOB':<24} {'STARTED (UTC)':<19} {'TOOK':>7}  {'STATUS':<7} RESULT")
    for row in rows:
        took = (
            f"{(row['finished_at'] - row['started_at']).total_seconds():.1f}s"
            if row["finished_at"]
            else "-"
        )
        status = {True: "ok", False: "FAILED", None: "running"}[row["success"]]
        job_name = f"{row['job']}:{row['scope']}" if row["scope"] else row["job"]
        click.echo(
            f"{row['id']:>6}  {job_name[:24]:<24} {row['started_at']:%Y-%m-%d %H:%M:%S} "
            f"{took:>7}  {status:<7} {_run_summary(row)[:80]}"
        )


@cli.command("run")
@click.argument("function")
@click.option("--data", default="{}", help="JSON message data.")
@click.option("--attr", multiple=True, help="Message attribute key=value (repeatable).")
def run_function(function: str, data: str, attr: tuple[str, ...]) -> None:
    """Deliver a Pub/Sub-shaped CloudEvent to FUNCTION in-process (the local scheduler)."""
    from .sandbox.scheduler import deliver

    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}", param_hint="--data") from None
    count = deliver(function, payload, _parse_attrs(attr))
    click.echo(f"delivered {count} message(s)")


@cli.command("serve")
@click.argument("function")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
def serve_function(function: str, host: str, port: int) -> None:
    """Run FUNCTION under the functions-framework HTTP server."""
    from .sandbox.scheduler import serve

    serve(function, host, port)


@cli.command("package")
@click.option(
    "--out",
    default="terraform/build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the archives (Terraform reads terraform/build).",
)
def package(out: Path) -> None:
    """Build each function's archive: its folder plus the vendored package."""
    from .packaging import build_all, sha256

    for archive in build_all(out):
        size = archive.stat().st_size // 1024
        click.echo(f"{archive}  {size} KiB  sha256 {sha256(archive)[:16]}")


@cli.group()
def sync() -> None:
    """Sync Odoo data into PostgreSQL."""


@cli.group()
def sandbox() -> None:
    """Local stand-ins: Odoo (sandbox or real), an OpenAI-compatible server, a webhook sink."""


@cli.command("demo")
@pass_app
def demo(app: App) -> None:
    """Run the main jobs on the embedded defaults and show what they did."""
    from .demo import run_demo

    run_demo(app)


# -- local stand-ins: the sandbox Odoo, LocalOpenAI and the webhook sink ---------------
from .sandbox.cli import (  # noqa: E402 - after the groups
    odoo_command,
    real_odoo_command,
    sandbox_openai,
    sandbox_sink,
)

sandbox.add_command(odoo_command)
sandbox.add_command(real_odoo_command)
sandbox.add_command(sandbox_openai)
sandbox.add_command(sandbox_sink)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: one clear line for every expected failure."""
    try:
        result = cli.main(args=argv, prog_name="odoo-engines", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except TransientError as exc:
        click.echo(f"error (temporary, try again): {exc}", err=True)
        return 75
    except EngineError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    return result if isinstance(result, int) else 0


# -- engines attach their commands last ------------------------------------------------
from .commands.consoles import panel, tui  # noqa: E402
from .commands.enrichment import enrich_command  # noqa: E402
from .commands.knowledge import knowledge  # noqa: E402
from .commands.odoo import odoo  # noqa: E402
from .commands.orders import poll, retries, tenants  # noqa: E402
from .commands.products import products_group, search_command, sync_products_command  # noqa: E402
from .commands.sales import forecast_command, sync_sales_command  # noqa: E402

cli.add_command(odoo)
cli.add_command(tenants)
cli.add_command(poll)
cli.add_command(retries)
cli.add_command(enrich_command)
cli.add_command(knowledge)
sync.add_command(sync_products_command)
cli.add_command(search_command)
cli.add_command(products_group)
cli.add_command(tui)
cli.add_command(panel)
sync.add_command(sync_sales_command)
cli.add_command(forecast_command)
