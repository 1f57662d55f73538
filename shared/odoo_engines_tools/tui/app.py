"""`odoo-engines tui`: the order poller's operator console (Textual).

Every database, Odoo or webhook call runs in a thread worker (`call`), so the screen
stays responsive while a poll cycle runs; results come back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker

from odoo_engines.core.errors import EngineError
from odoo_engines.core.logging import get_logger

from .backend import OrdersBackend
from .dashboard import DashboardScreen
from .poller import LocalPoller

log = get_logger("consoles.tui")

CSS = """
#status-bar { height: 1; padding: 0 1; background: $boost; }
#status-bar.running { color: $success; }
.section { height: 1; margin-top: 1; padding: 0 1; text-style: bold; color: $text-muted; }
#tenants { height: auto; max-height: 14; }
#activity { height: auto; max-height: 10; }
#retry-totals { height: 1; margin-top: 1; padding: 0 1; }
.filters { height: auto; padding: 0 1; }
.filters Select { width: 40; margin-right: 2; }
.form { padding: 1 2; }
.form Label { margin-top: 1; }
.form .hint { color: $text-muted; }
.buttons { height: auto; margin-top: 1; }
.buttons Button { margin-right: 2; }
.error { color: $error; margin-top: 1; height: auto; }
.dialog { width: 72; height: auto; max-height: 90%; padding: 1 2; border: thick $primary;
          background: $surface; }
ModalScreen { align: center middle; }
#payload { height: 30; }
"""


class OperatorConsole(App):
    """The dashboard and its screens over one `OrdersBackend`."""

    TITLE = "Odoo Order Poller"
    CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", priority=False)]

    def __init__(
        self,
        backend: OrdersBackend,
        start_poller: bool = False,
        refresh_seconds: float = 2.0,
    ):
        super().__init__()
        self.backend = backend
        self.refresh_seconds = refresh_seconds
        self.local_scheduler = not backend.settings.uses_google_cloud
        self._poller_stop: threading.Event | None = None
        self._start_poller = start_poller and self.local_scheduler

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        if self._start_poller:
            self.toggle_poller()

    # -- background calls -------------------------------------------------------------
    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        group: str = "backend",
        exclusive: bool = False,
    ) -> Worker:
        """Run `fn(*args)` in a thread; `done(result)` or `failed(message)` on the UI thread.

        Without `failed`, an error is shown as a notification. Messages are the engines'
        own (they never carry a secret).
        """

        def work() -> None:
            try:
                result = fn(*args)
            except (EngineError, ValueError) as exc:
                self.call_from_thread(failed or self._notify_error, str(exc))
                return
            except Exception as exc:
                log.exception("console_action_failed", action=getattr(fn, "__name__", "?"))
                self.call_from_thread(
                    failed or self._notify_error, f"unexpected error ({type(exc).__name__})"
                )
                return
            if done is not None:
                self.call_from_thread(done, result)

        return self.run_worker(work, thread=True, group=group, exclusive=exclusive)

    def _notify_error(self, message: str) -> None:
        self.notify(message, title="Error", severity="error", timeout=8, markup=False)

    # -- the local poller -----------------------------------------------------------
    @property
    def poller_running(self) -> bool:
        return self._poller_stop is not None

    def poller_status(self) -> str:
        if not self.local_scheduler:
            return "Poller: CLOUD SCHEDULER"
        return "Poller: RUNNING" if self.poller_running else "Poller: STOPPED"

    def toggle_poller(self) -> None:
        """Start or stop the local stand-in for Cloud Scheduler (a thread worker)."""
        if not self.local_scheduler:
            self.notify("Polling runs in Cloud Scheduler; pause tenants to stop it.")
            return
        if self._poller_stop is not None:
            self._poller_stop.set()
            self._poller_stop = None
        else:
            stop = threading.Event()
            self._poller_stop = stop
            poller = LocalPoller(
                self.backend.settings,
                on_cycle=lambda _r: self.call_from_thread(self.refresh_all),
                orders=self.backend.orders,
            )
            self.call(poller.run, stop, group="poller")
        self.refresh_all()

    def refresh_all(self) -> None:
        """Reload what the current screen shows."""
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    def on_unmount(self) -> None:
        if self._poller_stop is not None:
            self._poller_stop.set()
        self.backend.close()
