"""Create or edit a tenant: the seed's form, with both secrets masked.

The API key is typed into a password field and never read back; the webhook secret is
generated (Standard Webhooks `whsec_…`), editable (the seed's UUIDs are accepted), masked,
and on demand revealed (ctrl+r) or copied to the clipboard (ctrl+y) for the receiving
app, the stored one too when editing. When editing, empty secret fields keep the stored
secrets.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from odoo_engines.core.errors import PermanentError
from odoo_engines.orders.tenants import Tenant, describe_since, parse_since

# (field, label, hint) in the seed's order; secrets are handled apart.
FIELDS = (
    ("name", "Name", "A descriptive name, e.g. Le Juste Odoo"),
    ("odoo_url", "Odoo URL", "https://company.odoo.com"),
    ("odoo_db", "Database", "The Odoo database name (cannot change later)"),
    ("odoo_username", "Username", "The Odoo API user's login"),
    ("store_id", "Store ID", "The store's id in StockMaster"),
    ("client_id", "Client ID", "The client's id in StockMaster"),
    ("webhook_url", "Webhook URL", "Where confirmed orders are POSTed"),
)


class TenantForm(Screen[Tenant | None]):
    """Dismisses with the saved tenant, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+g", "generate", "New secret"),
        Binding("ctrl+y", "copy_secret", "Copy secret"),
        Binding("ctrl+r", "reveal_secret", "Show/hide secret"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, tenant: Tenant | None = None):
        super().__init__()
        self.tenant = tenant
        self._stored_secret: str | None = None  # read from the store on demand only

    def compose(self) -> ComposeResult:
        t = self.tenant
        backend = self.app.backend
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(
                f"Edit tenant {t.name} ({t.id})" if t else "New tenant",
                classes="section",
                markup=False,
            )
            for name, label, hint in FIELDS:
                if t is not None:
                    value = getattr(t, name)
                elif name == "webhook_url":
                    value = backend.default_webhook_url
                else:
                    value = ""
                yield Label(label)
                yield Input(value=value, placeholder=hint, id=name)
            yield Label("Odoo API key")
            yield Input(
                password=True,
                id="odoo_api_key",
                placeholder="unchanged; type a new key to replace it" if t else "hidden as typed",
            )
            yield Label("Webhook secret")
            yield Input(
                value="" if t else backend.new_webhook_secret(),
                password=True,
                id="webhook_secret",
                placeholder="unchanged; type one or generate a new one (ctrl+g)" if t else "",
            )
            if t is not None:
                yield Static(
                    f"Stored secrets: API key {backend.describe_secret(t.odoo_api_key_ref)}; "
                    f"webhook secret {backend.describe_secret(t.webhook_secret_ref)}",
                    classes="hint",
                    markup=False,
                )
            if t is None:
                yield Label("Send orders confirmed from")
                yield Input(
                    value="now",
                    id="since",
                    placeholder="now, YYYY-MM-DD (UTC) or all (every past order, as the seed)",
                )
            else:
                yield Static(f"Sends {describe_since(t)}", classes="hint", markup=False)
            yield Label("Polling interval (seconds)")
            yield Input(
                value=str(t.polling_interval_seconds if t else 60),
                type="integer",
                id="polling_interval_seconds",
            )
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("New secret (ctrl+g)", id="generate")
                yield Button("Copy secret (ctrl+y)", id="copy")
                yield Button("Show secret (ctrl+r)", id="reveal")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "save": self.action_save,
            "generate": self.action_generate,
            "copy": self.action_copy_secret,
            "reveal": self.action_reveal_secret,
            "cancel": self.action_cancel,
        }
        actions[event.button.id]()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def action_generate(self) -> None:
        self.query_one("#webhook_secret", Input).value = self.app.backend.new_webhook_secret()
        self.notify("A new webhook secret was generated; save to keep it.")

    def _secret_shown(self) -> str:
        """The secret field's value; when editing and empty, the stored secret, loaded."""
        field = self.query_one("#webhook_secret", Input)
        if not field.value.strip() and self.tenant is not None:
            self._stored_secret = self.app.backend.webhook_secret(self.tenant)
            field.value = self._stored_secret
        return field.value.strip()

    def action_copy_secret(self) -> None:
        secret = self._secret_shown()
        if not secret:
            self.notify("The secret field is empty: generate one (ctrl+g) or type one.")
            return
        self.app.copy_to_clipboard(secret)
        self.notify("Webhook secret copied to the clipboard.")

    def action_reveal_secret(self) -> None:
        self._secret_shown()
        field = self.query_one("#webhook_secret", Input)
        field.password = not field.password
        field.scroll_visible()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        error = self.query_one("#form-error", Static)
        interval = self._value("polling_interval_seconds")
        if not interval.isdigit():
            error.update("The polling interval must be a whole number of seconds.")
            return
        values = {name: self._value(name) for name, _, _ in FIELDS}
        values["polling_interval_seconds"] = int(interval)
        api_key, secret = self._value("odoo_api_key"), self._value("webhook_secret")
        if secret == self._stored_secret:
            secret = ""  # shown or copied, not changed: keep the stored one
        error.update("Saving…")
        backend = self.app.backend
        if self.tenant is None:
            try:
                since = parse_since(self._value("since"))
            except PermanentError as exc:
                error.update(str(exc))
                return
            call = (backend.add_tenant, values, api_key, secret, since)
        else:
            call = (backend.edit_tenant, self.tenant.id, values, api_key or None, secret or None)
        self.app.call(*call, done=self.dismiss, failed=error.update)
