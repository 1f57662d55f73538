"""The main screen: tenants with their state and figures, recent activity, retry totals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from .backend import Snapshot
from .dialogs import ConfirmDialog, MessageDialog
from .logs import SyncLogScreen
from .retries import RetryQueueScreen
from .tables import selected_key, show_rows
from .tenant_form import TenantForm


class DashboardScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("t", "test", "Test"),
        Binding("space", "toggle", "Pause/Resume"),
        Binding("p", "poll", "Poll now"),
        Binding("s", "poller", "Start/Stop poller"),
        Binding("l", "logs", "Logs"),
        Binding("r", "retries", "Retries"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status-bar")
        yield Static("Connections", classes="section")
        table = DataTable(id="tenants", cursor_type="row", zebra_stripes=True)
        table.add_columns(
            "",
            "Name",
            "Status",
            "Last sync",
            "Sent today",
            "Retry queue",
            "Errors 24h",
            "Every",
            "Sends from",
        )
        yield table
        yield Static("Recent Activity", classes="section")
        activity = DataTable(id="activity", cursor_type="none", show_cursor=False)
        activity.add_columns("Time (UTC)", "Tenant", "What happened")
        yield activity
        yield Static("", id="retry-totals")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(self.app.refresh_seconds, self.reload)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.app.call(self.app.backend.snapshot, done=self._show, group="dashboard", exclusive=True)

    def _show(self, snap: Snapshot) -> None:
        status = self.query_one("#status-bar", Static)
        status.update(f"{self.app.poller_status()}   ·   {len(snap.tenants)} tenant(s)")
        status.set_class(self.app.poller_running, "running")
        rows = []
        for line in snap.tenants:
            t, stats = line.tenant, line.stats
            if not t.is_active:
                state, last = "paused", "Paused"
            else:
                state = "deliveries paused" if t.deliveries_paused_at else "active"
                last = ago(t.last_sync_at)
            rows.append(
                (
                    t.id,
                    (
                        "●" if t.is_active else "○",
                        t.name,
                        state,
                        last,
                        f"{stats.sent_today} ✓",
                        f"{line.pending} pending, {line.failed} failed",
                        str(stats.errors_24h) if stats.errors_24h else "-",
                        f"{t.polling_interval_seconds}s",
                        f"{t.orders_since:%Y-%m-%d %H:%M} UTC" if t.orders_since else "all",
                    ),
                )
            )
        show_rows(self.query_one("#tenants", DataTable), rows)
        show_rows(
            self.query_one("#activity", DataTable),
            [
                (
                    str(row["id"]),
                    (f"{row['synced_at']:%H:%M:%S}", row["tenant"], describe_cycle(row)),
                )
                for row in snap.activity
            ],
        )
        self.query_one("#retry-totals", Static).update(
            f"Retry Queue: {snap.pending} pending | {snap.failed} failed"
        )

    # -- actions --------------------------------------------------------------------
    def _selected(self) -> str | None:
        key = selected_key(self.query_one("#tenants", DataTable))
        if key is None:
            self.notify("No tenant selected; add one with n.", severity="warning")
        return key

    def action_new(self) -> None:
        self.app.push_screen(TenantForm(), self._saved)

    def action_edit(self) -> None:
        tenant_id = self._selected()
        if tenant_id:
            self.app.call(
                self.app.backend.tenant,
                tenant_id,
                done=lambda t: self.app.push_screen(TenantForm(t), self._saved),
            )

    def _saved(self, tenant) -> None:
        if tenant is not None:
            self.notify(f"Saved tenant {tenant.name}.", markup=False)
        self.reload()

    def action_delete(self) -> None:
        tenant_id = self._selected()
        if not tenant_id:
            return
        name = str(self.query_one("#tenants", DataTable).get_row(tenant_id)[1])

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.call(
                    self.app.backend.delete_tenant,
                    tenant_id,
                    done=lambda _: (
                        self.notify(f"Deleted tenant {name}.", markup=False),
                        self.reload(),
                    ),
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete tenant {name!r}?\n\nIts scheduler job, secrets, sync log and retry "
                "queue are deleted too.",
                confirm="Delete",
            ),
            confirmed,
        )

    def action_test(self) -> None:
        tenant_id = self._selected()
        if not tenant_id:
            return
        self.notify("Testing Odoo login and webhook…")

        def show(checks) -> None:
            lines = [f"{'✓' if c.ok else '✗'} {c.name.capitalize()}: {c.detail}" for c in checks]
            ok = all(c.ok for c in checks)
            self.app.push_screen(
                MessageDialog("Test passed" if ok else "Test failed", "\n".join(lines))
            )

        self.app.call(self.app.backend.test_tenant, tenant_id, done=show)

    def action_toggle(self) -> None:
        tenant_id = self._selected()
        if tenant_id:

            def toggled(t) -> None:
                self.notify(f"{t.name} {'resumed' if t.is_active else 'paused'}.", markup=False)
                self.reload()

            self.app.call(self.app.backend.toggle_tenant, tenant_id, done=toggled)

    def action_poll(self) -> None:
        tenant_id = self._selected()
        if not tenant_id:
            return
        self.notify("Polling in the background…")

        def polled(r) -> None:
            if r.skipped:
                self.notify(f"Skipped: {r.skipped}", severity="warning", markup=False)
            else:
                text = f"Found {r.found}, sent {r.sent}, queued {r.failed} ({r.duration_ms} ms)"
                self.notify(
                    text + (f"\n{r.error}" if r.error else ""),
                    severity="error" if r.error else "information",
                    markup=False,
                )
            self.reload()

        self.app.call(self.app.backend.poll_now, tenant_id, done=polled, group="poll")

    def action_poller(self) -> None:
        self.app.toggle_poller()

    def action_logs(self) -> None:
        self.app.push_screen(SyncLogScreen())

    def action_retries(self) -> None:
        self.app.push_screen(RetryQueueScreen())


def describe_cycle(row: dict[str, Any]) -> str:
    """One line for the activity feed, as the seed's layout: '3 orders sent', '⚠ 1 failed'."""
    if row["error_message"]:
        return f"⚠ error: {row['error_message']}"
    sent, failed = row["orders_sent"], row["orders_failed"]
    if not sent and not failed:
        return "0 new orders"
    parts = []
    if sent:
        parts.append(f"{sent} order{'s' if sent != 1 else ''} sent")
    if failed:
        parts.append(f"⚠ {failed} failed, queued")
    return ", ".join(parts)


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'30s ago', '5m ago', '2h ago', '3d ago'; 'never' for None."""
    if moment is None:
        return "never"
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"
