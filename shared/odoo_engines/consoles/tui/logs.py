"""The sync log: one row per poll cycle, newest first, filterable by tenant."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select

from .tables import show_rows


def tenant_options(tenants) -> list[tuple[str, str]]:
    """(label, id) pairs for a tenant filter."""
    return [(f"{t.name} ({t.id})", t.id) for t in tenants]


def chosen(select: Select) -> str | None:
    """The Select's value, None for its blank ("all") choice."""
    return None if select.value is Select.NULL else select.value


class SyncLogScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Select([], prompt="All tenants", id="log-tenant")
        table = DataTable(id="log", cursor_type="row", zebra_stripes=True)
        table.add_columns(
            "Time (UTC)", "Tenant", "Found", "Sent", "Failed", "ms", "Odoo calls", "Error"
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Sync log"
        self.app.call(
            self.app.backend.tenants,
            done=lambda tenants: self.query_one("#log-tenant", Select).set_options(
                tenant_options(tenants)
            ),
        )
        self.query_one("#log", DataTable).focus()  # keys move in the table, not the filters
        self.reload()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        tenant_id = chosen(self.query_one("#log-tenant", Select))
        self.app.call(
            self.app.backend.sync_log, tenant_id, done=self._show, group="log", exclusive=True
        )

    def _show(self, rows) -> None:
        show_rows(
            self.query_one("#log", DataTable),
            [
                (
                    str(r["id"]),
                    (
                        f"{r['synced_at']:%Y-%m-%d %H:%M:%S}",
                        r["tenant"],
                        r["orders_found"],
                        r["orders_sent"],
                        r["orders_failed"],
                        r["duration_ms"] if r["duration_ms"] is not None else "-",
                        r["odoo_calls"],
                        r["error_message"] or "",
                    ),
                )
                for r in rows
            ],
        )
