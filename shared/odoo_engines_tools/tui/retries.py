"""The retry queue: retry now, discard, view the payload; filter by tenant and status."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Select, Static, TextArea

from .logs import TenantTableScreen, chosen
from .tables import selected_key, show_rows

# retry_queue.status values (the orders migration's CHECK), in the order an operator wants them
STATUSES = ("PENDING", "FAILED", "SUCCESS", "DISCARDED")


class PayloadDialog(ModalScreen[None]):
    """One queue item's webhook body, pretty-printed, read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Close")]

    def __init__(self, item: dict):
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(classes="dialog"):
            yield Static(
                f"{item['external_id']} · {item['event']} · {item['status']}"
                f" · {item['attempts']}/{item['max_attempts']} retries",
                classes="section",
                markup=False,
            )
            body = json.dumps(json.loads(item["payload"]), indent=2, ensure_ascii=False)
            yield TextArea(body, read_only=True, language=None, id="payload")


class RetryQueueScreen(TenantTableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "retry", "Retry now"),
        Binding("x", "discard", "Discard"),
        Binding("v,enter", "view", "View payload"),
        Binding("f5", "reload", "Reload"),
    ]
    TABLE = "retries"
    HEADING = "Retry queue"
    COLUMNS = ("ID", "Tenant", "Order", "Event", "Status", "Retries", "Next retry", "Last error")

    def more_filters(self) -> Iterator[Widget]:
        yield Select([(s.title(), s) for s in STATUSES], prompt="Any status", id="retry-status")

    def reload(self) -> None:
        self.app.call(
            self.app.backend.retries,
            self.tenant(),
            chosen(self.query_one("#retry-status", Select)),
            done=self._show,
            group="retries",
            exclusive=True,
        )

    def _show(self, rows) -> None:
        show_rows(
            self.table,
            [
                (
                    str(r["id"]),
                    (
                        r["id"],
                        r["connection_id"],
                        r["external_id"],
                        r["event"],
                        r["status"],
                        f"{r['attempts']}/{r['max_attempts']}",
                        _next(r),
                        r["last_error"] or "",
                    ),
                )
                for r in rows
            ],
        )

    def _selected(self) -> int | None:
        key = selected_key(self.table)
        if key is None:
            self.notify("The queue shows no item.", severity="warning")
        return int(key) if key is not None else None

    def action_retry(self) -> None:
        item_id = self._selected()
        if item_id is None:
            return
        self.notify(f"Sending item {item_id}…")

        def sent(outcome) -> None:
            if outcome.ok:
                self.notify(f"Item {item_id} delivered (HTTP {outcome.status}).")
            else:
                self.notify(
                    f"Item {item_id} failed again: {outcome.error}",
                    severity="error",
                    markup=False,
                )
            self.reload()

        self.app.call(self.app.backend.retry_now, item_id, done=sent, group="retry")

    def action_discard(self) -> None:
        item_id = self._selected()
        if item_id is None:
            return

        def discarded(ok: bool) -> None:
            if ok:
                self.notify(f"Item {item_id} discarded.")
            else:
                self.notify(f"Item {item_id} is neither pending nor failed.", severity="warning")
            self.reload()

        self.app.call(self.app.backend.discard, item_id, done=discarded)

    def action_view(self) -> None:
        item_id = self._selected()
        if item_id is not None:
            self.app.call(
                self.app.backend.retry_item,
                item_id,
                done=lambda item: self.app.push_screen(PayloadDialog(item)),
            )


def _next(row: dict) -> str:
    """When a pending item is retried next ('due' once the time has passed)."""
    if row["status"] != "PENDING":
        return "-"
    return f"{row['next_retry_at']:%H:%M:%S}"
