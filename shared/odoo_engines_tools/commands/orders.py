"""`odoo-engines tenants …`, `odoo-engines poll` and `odoo-engines retries …`.

Secrets are never printed, except a webhook secret `tenants add` generated (shown once,
for the receiving app). The new tenant's id is the last line of `tenants add`.
"""

from __future__ import annotations

import json

import click

from odoo_engines.core.errors import EngineError, PermanentError
from odoo_engines.core.publish import get_publisher
from odoo_engines.orders import store
from odoo_engines.orders.admin import TenantAdmin
from odoo_engines.orders.handlers import poll_cycle
from odoo_engines.orders.run import retry_now
from odoo_engines.orders.scheduler_jobs import get_scheduler, job_id
from odoo_engines.orders.secret_store import get_secret_store
from odoo_engines.orders.settings import OrdersSettings, load_orders_settings
from odoo_engines.orders.signing import new_webhook_secret, poll_token
from odoo_engines.orders.tenant_check import check_tenant
from odoo_engines.orders.tenants import Tenant, describe_since, parse_since

from ..app import App, pass_app

STATUSES = ("PENDING", "SUCCESS", "FAILED", "DISCARDED")


def _orders(app: App) -> OrdersSettings:
    return load_orders_settings(settings=app.settings)


def _admin(app: App) -> TenantAdmin:
    db = app.db()
    orders = _orders(app)
    return TenantAdmin(db, get_secret_store(orders), get_scheduler(orders, db), orders.production)


def _status(tenant: Tenant) -> str:
    if not tenant.is_active:
        return "paused"
    return "deliveries paused" if tenant.deliveries_paused_at else "active"


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC" if value else "never"


@click.group()
def tenants() -> None:
    """Tenants of the order poller: Odoo accounts whose orders go to a webhook."""


def _tenant_options(required: bool):
    """The seed's form fields as options (all optional for `edit`)."""

    def decorate(fn):
        options = [
            click.option("--name", required=required, help="Descriptive name."),
            click.option("--odoo-url", required=required, help="https://company.odoo.com"),
            click.option("--odoo-db", required=required, help="Odoo database name."),
            click.option("--odoo-username", required=required, help="Odoo API user (login)."),
            click.option("--store-id", required=required, help="Store id in the picking app."),
            click.option("--client-id", required=required, help="Client id in the picking app."),
            click.option("--webhook-url", help="Where orders are POSTed."),
            click.option(
                "--interval",
                type=int,
                default=60 if required else None,
                show_default=required,
                help="Polling interval in seconds (a whole number of minutes).",
            ),
            click.option(
                "--webhook-secret",
                help="whsec_<base64>, or the seed's UUID or any string of 16+ bytes "
                "(signed with its bytes); generated when omitted.",
            ),
            click.option(
                "--legacy-secret-header/--no-legacy-secret-header",
                default=False if required else None,
                help="Also send the raw secret in X-Webhook-Secret, for a receiver that "
                "cannot verify signatures yet (anyone who sees one delivery's headers can "
                "then forge webhooks). Off for new tenants.",
            ),
        ]
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def _values(options: dict) -> dict:
    names = {"interval": "polling_interval_seconds"}
    skip = {"odoo_api_key", "webhook_secret"}
    return {names.get(k, k): v for k, v in options.items() if v is not None and k not in skip}


@tenants.command("add")
@_tenant_options(required=True)
@click.option("--odoo-api-key", prompt="Odoo API key", hide_input=True, help="Prompted if omitted.")
@click.option(
    "--since",
    default="now",
    show_default=True,
    help="Send orders confirmed from: now, a UTC date YYYY-MM-DD, or all (every past "
    "confirmed order, as the seed's first poll did).",
)
@pass_app
def tenants_add(app: App, since: str, **options) -> None:
    """Add a tenant and start its scheduler job; prints the new id on the last line."""
    try:
        start = parse_since(since)
    except PermanentError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    values = _values(options)
    values.setdefault("webhook_url", _orders(app).default_webhook_url)
    generated = options["webhook_secret"] is None
    secret = new_webhook_secret() if generated else options["webhook_secret"]
    try:
        tenant = _admin(app).add(values, options["odoo_api_key"], secret, start)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--webhook-secret") from None
    click.echo(
        f"added tenant {tenant.name!r}: polling every {tenant.polling_interval_seconds} s"
        f" (scheduler job {job_id(tenant.id)}), webhooks to {tenant.webhook_url};"
        f" sends {describe_since(tenant)}"
    )
    if generated:
        click.echo(
            f"webhook secret (shown once): {secret}\nthe receiving app verifies each webhook's"
            " Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature)"
            " with it"
        )
        click.echo(
            f"poll token for POST /tenants/{tenant.id}/poll?token=: {poll_token(secret, tenant.id)}"
        )
    click.echo(tenant.id)


@tenants.command("list")
@pass_app
def tenants_list(app: App) -> None:
    """All tenants with their state, last sync and retry queue (never a secret)."""
    db = app.db()
    rows = store.list_tenants(db)
    if not rows:
        click.echo("no tenants; add one with `odoo-engines tenants add`")
        return
    queue = store.pending_counts(db)
    click.echo(f"{'ID':<17} {'NAME':<24} {'STATUS':<18} {'EVERY':>6}  {'LAST SYNC':<24} QUEUE")
    for t in rows:
        counts = queue.get(t.id, {})
        click.echo(
            f"{t.id:<17} {t.name[:24]:<24} {_status(t):<18} {t.polling_interval_seconds:>5}s"
            f"  {_when(t.last_sync_at):<24} "
            f"{counts.get('PENDING', 0)} pending, {counts.get('FAILED', 0)} failed"
        )


@tenants.command("show")
@click.argument("tenant_id")
@pass_app
def tenants_show(app: App, tenant_id: str) -> None:
    """One tenant: settings, scheduler job, secrets' location, recent cycles."""
    admin = _admin(app)
    t = store.get_tenant(admin.db, tenant_id)
    job = admin.scheduler.get(t.id)
    counts = store.pending_counts(admin.db).get(t.id, {})
    lines = [
        ("id", t.id),
        ("name", t.name),
        ("status", _status(t)),
        ("odoo", f"{t.odoo_url} (database {t.odoo_db}, user {t.odoo_username})"),
        ("odoo api key", admin.store.describe(t.odoo_api_key_ref)),
        ("webhook", t.webhook_url),
        ("webhook secret", admin.store.describe(t.webhook_secret_ref)),
        ("secret header", "sent (legacy)" if t.legacy_secret_header else "not sent; signed only"),
        ("store / client", f"{t.store_id} / {t.client_id}"),
        ("interval", f"{t.polling_interval_seconds} s"),
        ("sends", describe_since(t)),
        (
            "scheduler job",
            f"{job.name} ({job.schedule}, {'paused' if job.paused else 'enabled'})"
            if job
            else "missing (resume the tenant to recreate it)",
        ),
        ("last sync", _when(t.last_sync_at)),
        ("retry queue", f"{counts.get('PENDING', 0)} pending, {counts.get('FAILED', 0)} failed"),
    ]
    if t.deliveries_paused_at:
        lines.append(
            ("deliveries", f"paused {_when(t.deliveries_paused_at)}: {t.deliveries_paused_reason}")
        )
    for label, value in lines:
        click.echo(f"{label + ':':<16}{value}")
    cycles = store.recent_cycles(admin.db, t.id)
    if cycles:
        click.echo("recent cycles:")
    for c in cycles:
        outcome = f"error: {c['error_message']}" if c["error_message"] else "ok"
        click.echo(
            f"  {_when(c['synced_at'])}  found {c['orders_found']}, sent {c['orders_sent']},"
            f" failed {c['orders_failed']}, {c['duration_ms']} ms  {outcome}"
        )


@tenants.command("edit")
@click.argument("tenant_id")
@_tenant_options(required=False)
@click.option("--odoo-api-key", help="A new Odoo API key.")
@pass_app
def tenants_edit(app: App, tenant_id: str, **options) -> None:
    """Change a tenant's fields or secrets (only the options given)."""
    values = _values(options)
    try:
        tenant = _admin(app).edit(
            tenant_id, values, options["odoo_api_key"], options["webhook_secret"]
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--webhook-secret") from None
    changed = sorted(values) + [
        k for k in ("odoo_api_key", "webhook_secret") if options[k] is not None
    ]
    click.echo(f"updated tenant {tenant.id}: {', '.join(changed) or 'nothing to change'}")


@tenants.command("pause")
@click.argument("tenant_id")
@pass_app
def tenants_pause(app: App, tenant_id: str) -> None:
    """Stop polling the tenant (its scheduler job is paused)."""
    _admin(app).pause(tenant_id)
    click.echo(f"paused tenant {tenant_id}")


@tenants.command("resume")
@click.argument("tenant_id")
@pass_app
def tenants_resume(app: App, tenant_id: str) -> None:
    """Poll and deliver again (also after a 410 paused deliveries)."""
    _admin(app).resume(tenant_id)
    click.echo(f"resumed tenant {tenant_id}")


@tenants.command("delete")
@click.argument("tenant_id")
@click.confirmation_option(prompt="Delete the tenant, its job, secrets, log and queue?")
@pass_app
def tenants_delete(app: App, tenant_id: str) -> None:
    """Delete a tenant with its scheduler job, secrets, sync log and retry queue."""
    _admin(app).delete(tenant_id)
    click.echo(f"deleted tenant {tenant_id}")


@tenants.command("test")
@click.argument("tenant_id")
@pass_app
def tenants_test(app: App, tenant_id: str) -> None:
    """Log in to the tenant's Odoo and send a `ping` event to its webhook."""
    admin = _admin(app)
    checks = check_tenant(_orders(app), store.get_tenant(admin.db, tenant_id), admin.store)
    for check in checks:
        click.echo(f"{check.name}: {'ok, ' if check.ok else 'FAILED: '}{check.detail}")
    if not all(check.ok for check in checks):
        raise click.exceptions.Exit(1)


@click.command("poll")
@click.option("--tenant", "tenant_id", required=True, help="Tenant id.")
@pass_app
def poll(app: App, tenant_id: str) -> None:
    """Run one poll cycle for a tenant now (what the poll-tenant function does)."""
    settings, orders = app.settings, _orders(app)
    result = poll_cycle(
        app.db(),
        orders,
        tenant_id,
        get_secret_store(orders),
        get_publisher(settings.gcp_project, settings.environment),
    )
    if result.skipped:
        click.echo(f"skipped: {result.skipped}")
        return
    click.echo(
        f"found {result.found}, sent {result.sent}, queued for retry {result.failed};"
        f" {result.pages} page(s), {result.odoo_calls} Odoo calls, {result.duration_ms} ms"
        + ("; continues in a new cycle" if result.continued else "")
    )
    if result.error:
        raise PermanentError(result.error)


@click.group()
def retries() -> None:
    """The webhook retry queue: list, show, retry now, discard."""


@retries.command("list")
@click.option("--tenant", "tenant_id", help="Only this tenant.")
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only this status."
)
@click.option("--limit", type=int, default=50, show_default=True)
@pass_app
def retries_list(app: App, tenant_id: str | None, status: str | None, limit: int) -> None:
    """Queue items, newest first."""
    rows = store.retry_rows(app.db(), tenant_id, status.upper() if status else None, limit)
    if not rows:
        click.echo("the retry queue is empty")
        return
    click.echo(
        f"{'ID':>6} {'TENANT':<17} {'ORDER':<28} {'STATUS':<9} {'TRIES':>5}  NEXT / LAST ERROR"
    )
    for r in rows:
        detail = _when(r["next_retry_at"]) if r["status"] == "PENDING" else (r["last_error"] or "")
        click.echo(
            f"{r['id']:>6} {r['connection_id']:<17} {r['external_id'][:28]:<28} {r['status']:<9}"
            f" {r['attempts']:>2}/{r['max_attempts']:<2}  {detail[:60]}"
        )


@retries.command("show")
@click.argument("item_id", type=int)
@pass_app
def retries_show(app: App, item_id: int) -> None:
    """One queue item with its payload."""
    row = store.retry_row(app.db(), item_id)
    if row is None:
        raise PermanentError(f"no retry item {item_id}")
    payload = row.pop("payload")
    for key, value in row.items():
        click.echo(f"{key + ':':<15}{value if value is not None else '-'}")
    click.echo("payload:")
    click.echo(json.dumps(json.loads(payload), indent=2, ensure_ascii=False))


@retries.command("retry")
@click.argument("item_id", type=int)
@click.option("--force", is_flag=True, help="Send a discarded item too.")
@pass_app
def retries_retry(app: App, item_id: int, force: bool) -> None:
    """Send an item now, with a fresh set of attempts (a discarded one only with --force)."""
    orders = _orders(app)
    outcome = retry_now(app.db(), orders, get_secret_store(orders), item_id, force=force)
    if outcome.ok:
        click.echo(f"delivered (HTTP {outcome.status})")
    else:
        raise EngineError(f"retry failed: {outcome.error}; the item stays in the queue")


@retries.command("discard")
@click.argument("item_id", type=int)
@pass_app
def retries_discard(app: App, item_id: int) -> None:
    """Give up on an item (it is kept, marked DISCARDED)."""
    if not store.discard(app.db(), item_id):
        raise PermanentError(f"no pending or failed retry item {item_id}")
    click.echo(f"discarded retry item {item_id}")
