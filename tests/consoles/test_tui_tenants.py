"""The terminal console's tenant screens, driven as an operator would (Textual's Pilot)."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.store import get_tenant, list_tenants
from odoo_engines_tools.tui.app import OperatorConsole
from odoo_engines_tools.tui.dialogs import ConfirmDialog
from odoo_engines_tools.tui.tenant_form import TenantForm

from .conftest import API_KEY, add_tenant, drive, screen_text, settle


def _rows(app, table_id="#tenants"):
    table = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def _type(pilot, field_id, text):
    field = pilot.app.screen.query_one(field_id, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


def test_new_tenant_form_creates_the_row_its_secrets_and_its_job(backend, db):
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TenantForm)
        webhook_url = form.query_one("#webhook_url", Input)
        assert webhook_url.value == backend.orders.default_webhook_url
        secret_field = form.query_one("#webhook_secret", Input)
        assert secret_field.password and secret_field.value.startswith("whsec_")
        assert form.query_one("#odoo_api_key", Input).password
        assert form.query_one("#since", Input).value == "now"  # not every past order
        for field, value in (("name", "Le Juste Odoo"), ("odoo_url", "https://lejuste.odoo.com/"),
                             ("odoo_db", "lejuste"), ("odoo_username", "api@lejuste.cl"),
                             ("store_id", "store_1"), ("client_id", "client_1"),
                             ("polling_interval_seconds", "300")):  # fmt: skip
            form.query_one(f"#{field}", Input).value = value
        await _type(pilot, "#odoo_api_key", API_KEY)  # typed, as a person does: masked
        shown = screen_text(app)
        assert API_KEY not in shown and secret_field.value not in shown
        secret = secret_field.value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TenantForm)
        (tenant,) = list_tenants(db)
        assert (tenant.name, tenant.odoo_url, tenant.odoo_db) == (
            "Le Juste Odoo",
            "https://lejuste.odoo.com",
            "lejuste",
        )
        assert tenant.polling_interval_seconds == 300
        assert backend.store.get(tenant.odoo_api_key_ref) == API_KEY
        assert backend.store.get(tenant.webhook_secret_ref) == secret
        job = LocalSchedulerJobs(db).get(tenant.id)
        assert job.schedule == "*/5 * * * *" and not job.paused
        assert _rows(app)[0][1:3] == ["Le Juste Odoo", "active"]
        assert tenant.orders_since is not None
        assert _rows(app)[0][-1] == f"{tenant.orders_since:%Y-%m-%d %H:%M} UTC"
        assert API_KEY not in screen_text(app) and secret not in screen_text(app)

    drive(app, scenario)


def test_form_shows_what_is_wrong_and_saves_nothing(backend, db):
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("n")
        await settle(pilot)
        for field, value in (("name", "No URL"), ("odoo_db", "lejuste"), ("store_id", "s1"),
                             ("odoo_username", "api"), ("client_id", "c1"),
                             ("odoo_api_key", API_KEY)):  # fmt: skip
            app.screen.query_one(f"#{field}", Input).value = value
        await _type(pilot, "#odoo_url", "lejuste.odoo.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TenantForm)
        error = str(app.screen.query_one("#form-error").render())
        assert "odoo_url must be http(s)://host/" in error
        assert list_tenants(db) == []

    drive(app, scenario)


def test_edit_changes_fields_and_keeps_secrets_left_empty(backend, db):
    tenant = add_tenant(backend, "https://hooks.example.com/odoo")
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#name", Input).value == "Le Juste"
        assert form.query_one("#odoo_api_key", Input).value == ""
        assert form.query_one("#webhook_secret", Input).value == ""
        await _type(pilot, "#name", "Le Juste (Chile)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = get_tenant(db, tenant.id)
        assert edited.name == "Le Juste (Chile)"
        assert backend.store.get(edited.odoo_api_key_ref) == API_KEY
        assert edited.webhook_secret_ref == tenant.webhook_secret_ref
        assert _rows(app)[0][1] == "Le Juste (Chile)"

    drive(app, scenario)


def test_the_stored_secret_is_revealed_or_copied_only_on_demand(backend, db):
    tenant = add_tenant(backend, "https://hooks.example.com/odoo")
    secret = backend.store.get(tenant.webhook_secret_ref)
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("e")
        await settle(pilot)
        field = app.screen.query_one("#webhook_secret", Input)
        assert field.value == "" and secret not in screen_text(app)
        await pilot.press("ctrl+y")
        assert app.clipboard == secret and secret not in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not field.password and secret in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert field.password and secret not in screen_text(app)
        await pilot.press("ctrl+s")  # shown, not changed: the stored secret stays
        await settle(pilot)
        assert get_tenant(db, tenant.id).webhook_secret_ref == tenant.webhook_secret_ref

    drive(app, scenario)


def test_space_pauses_and_resumes_the_tenant_and_its_job(backend, db):
    tenant = add_tenant(backend, "https://hooks.example.com/odoo")
    jobs = LocalSchedulerJobs(db)
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("space")
        await settle(pilot)
        assert not get_tenant(db, tenant.id).is_active
        assert jobs.get(tenant.id).paused
        assert _rows(app)[0][0] == "○" and _rows(app)[0][2] == "paused"
        await pilot.press("space")
        await settle(pilot)
        assert get_tenant(db, tenant.id).is_active
        assert not jobs.get(tenant.id).paused
        assert _rows(app)[0][2] == "active"

    drive(app, scenario)


def test_delete_asks_first_and_deletes_only_when_confirmed(backend, db):
    keep = add_tenant(backend, "https://hooks.example.com/a", name="A keep")
    gone = add_tenant(backend, "https://hooks.example.com/b", name="B gone")
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "B gone" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await settle(pilot)
        assert len(list_tenants(db)) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [t.id for t in list_tenants(db)] == [keep.id]
        assert LocalSchedulerJobs(db).get(gone.id) is None
        assert [row[1] for row in _rows(app)] == ["A keep"]

    drive(app, scenario)
