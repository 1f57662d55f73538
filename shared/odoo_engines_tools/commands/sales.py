"""`odoo-engines sync sales` and `odoo-engines forecast`: the functions' logic, by hand."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from odoo_engines.sales.handlers import check_sales
from odoo_engines.sales.history import parse_month
from odoo_engines.sales.production import PlanRow, qty
from odoo_engines.sales.run import forecast_everything, forecast_report, run_sales_sync
from odoo_engines.sales.settings import load_sales_settings

from ..app import App, pass_app, report_checks


@click.command("sales")
@click.option("--full", is_flag=True, help="Re-read every order (as FORCE_FULL_SYNC).")
@click.option(
    "--check", is_flag=True, help="Only test Odoo and the database (as TEST_CONNECTIONS_ONLY)."
)
@pass_app
def sync_sales_command(app: App, full: bool, check: bool) -> None:
    """Sync confirmed sale order lines from Odoo into sales_items."""
    if check or app.settings.test_connections_only:
        report_checks(check_sales(app.settings))
        return
    result = run_sales_sync(app.db(), app.odoo, full=full or app.settings.force_full_sync)
    if result.skipped:
        click.echo(f"skipped: {result.skipped}")
        return
    click.echo(
        f"{result.mode} sync: {result.orders} orders in {result.pages} pages; lines "
        f"{result.lines_inserted} new, {result.lines_updated} updated, "
        f"{result.lines_removed} removed, {result.lines_cancelled} cancelled, "
        f"{result.lines_skipped} sections/notes skipped; {result.odoo_calls} Odoo calls, "
        f"{result.duration_seconds:.1f} s"
    )


@click.command("forecast")
@click.option(
    "--mode",
    type=click.Choice(["db", "report"]),
    default="db",
    show_default=True,
    help="db: store forecasts and the plan; report: write CSV, charts and index.html.",
)
@click.option("--month", help="Plan month YYYY-MM (default: this month).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/forecasts"),
    show_default=True,
    help="Folder for --mode report (the seed's data/forecasts/).",
)
@click.option("--top", default=15, show_default=True, help="SKUs to show (and chart).")
@pass_app
def forecast_command(app: App, mode: str, month: str | None, out: Path, top: int) -> None:
    """Forecast demand per SKU (12 months) and plan the month's production."""
    try:
        target = parse_month(month) if month else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    if mode == "report":
        odoo = _odoo_if_reachable(app)
        with click.progressbar(length=1, label="forecasting SKUs") as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(1)

            files, rows = forecast_report(
                app.db(), odoo, load_sales_settings(), out, target, top, progress
            )
        print_plan(rows[:top])
        click.echo(f"report: {files.index} ({len(files.charts)} charts)")
        return
    with click.progressbar(length=1, label="forecasting shards") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        run, rows = forecast_everything(
            app.db(), app.odoo(), load_sales_settings(), target, progress
        )
    click.echo(
        f"run {run.run_id}: {run.skus} SKUs in {run.shards} shard(s), plan {run.target_month:%Y-%m}"
    )
    print_plan(rows[:top])


def _odoo_if_reachable(app: App):
    """The Odoo client, or None (the report then works from the database alone)."""
    from odoo_engines.odoo import OdooError

    try:
        return app.odoo()
    except OdooError as exc:
        click.echo(
            f"warning: Odoo not reachable ({exc}): stock as the last product sync stored it,"
            " incoming supply not counted",
            err=True,
        )
        return None


def print_plan(rows: Sequence[PlanRow]) -> None:
    """The top of a production plan as a small table."""
    if not rows:
        click.echo("nothing to plan: no SKU has confirmed sales before the plan month")
        return
    click.echo(f"{'SKU':<22} {'forecast':>9} {'stock':>8} {'incoming':>9} {'produce':>8}  priority")
    for r in rows:
        click.echo(
            f"{r.sku[:22]:<22} {qty(r.forecast):>9} {qty(r.stock):>8} "
            f"{qty(r.manufacturing + r.purchases):>9} {qty(max(r.needed, 0)):>8}  {r.priority}"
        )
