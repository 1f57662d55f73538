"""Tables filtered by tenant (the sync log here, the retry queue beside it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Select

from .tables import show_rows


def tenant_options(tenants) -> list[tuple[str, str]]:
    """(label, id) pairs for a tenant filter."""
    return [(f"{t.name} ({t.id})", t.id) for t in tenants]


def chosen(select: Select) -> str | None:
    """The Select's value, None for its blank ("all") choice."""
    return None if select.value is Select.NULL else select.value


class TenantTableScreen(Screen):
    """A table under a tenant filter (and `more_filters`), reloaded when a filter changes."""

    TABLE: ClassVar[str]  # the DataTable's id
    HEADING: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]

    def more_filters(self) -> Iterator[Widget]:
        yield from ()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Select([], prompt="All tenants", id=f"{self.TABLE}-tenant")
            yield from self.more_filters()
        table = DataTable(id=self.TABLE, cursor_type="row", zebra_stripes=True)
        table.add_columns(*self.COLUMNS)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.HEADING
        self.app.call(
            self.app.backend.tenants,
            done=lambda tenants: self.query_one(f"#{self.TABLE}-tenant", Select).set_options(
                tenant_options(tenants)
            ),
        )
        self.table.focus()  # keys move in the table, not the filters
        self.reload()

    @property
    def table(self) -> DataTable:
        return self.query_one(f"#{self.TABLE}", DataTable)

    def tenant(self) -> str | None:
        """The chosen tenant's id, None for all."""
        return chosen(self.query_one(f"#{self.TABLE}-tenant", Select))

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError


class SyncLogScreen(TenantTableScreen):
    """One row per poll cycle, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Reload"),
    ]
    TABLE = "log"
    HEADING = "Sync log"
    COLUMNS = ("Time (UTC)", "Tenant", "Found", "Sent", "Failed", "ms", "Odoo calls", "Error")

    def reload(self) -> None:
        self.app.call(
            self.app.backend.sync_log, self.tenant(), done=self._show, group="log", exclusive=True
        )

    def _show(self, rows) -> None:
        show_rows(
            self.table,
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
