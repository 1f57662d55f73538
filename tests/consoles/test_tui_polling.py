"""The terminal console over real polls: sandbox Odoo → webhook sink, in the background."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select, Static

from odoo_engines.orders.store import sync_log
from odoo_engines_tools.tui.app import OperatorConsole
from odoo_engines_tools.tui.dialogs import MessageDialog
from odoo_engines_tools.tui.logs import SyncLogScreen
from odoo_engines_tools.tui.poller import LocalPoller
from odoo_engines_tools.tui.retries import PayloadDialog, RetryQueueScreen

from .conftest import add_tenant, drive, settle


def _rows(app, table_id):
    table = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _text(app, selector):
    return str(app.screen.query_one(selector, Static).render())


def test_test_key_logs_in_to_odoo_and_pings_the_webhook(backend, odoo_db, webhook_sink):
    add_tenant(backend, webhook_sink.url + "/hooks", odoo=odoo_db)
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        message = _text(app, "#message")
        assert "✓ Odoo: Odoo 17.0" in message
        assert "✓ Webhook: HTTP 200" in message
        (ping,) = webhook_sink.deliveries
        assert ping.json["event"] == "ping"

    drive(app, scenario)


def test_test_key_reports_a_revoked_odoo_key(backend, odoo_db, webhook_sink):
    add_tenant(backend, webhook_sink.url, odoo=odoo_db)
    odoo_db.revoke_api_key()
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("t")
        await settle(pilot)
        assert _text(app, "#message").startswith("✗ Odoo:")
        assert app.screen.query_one(".section", Static).render().plain == "Test failed"

    drive(app, scenario)


@pytest.mark.slow  # Odoo is made slow on purpose: the cycle must outlast the key presses
def test_poll_runs_in_the_background_while_the_screen_answers(
    backend, db, odoo_db, webhook_sink, sandbox_server
):
    tenant = add_tenant(backend, webhook_sink.url, odoo=odoo_db)
    sandbox_server.faults.set(latency=0.08)  # every Odoo call: the cycle takes seconds
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("p")
        await pilot.pause(0.3)
        (poll,) = [w for w in app.workers if w.group == "poll"]
        await pilot.press("l")  # the operator moves on while Odoo is slow
        await pilot.pause()
        assert isinstance(app.screen, SyncLogScreen)
        assert not poll.is_finished, "the poll ended before the screen changed: not a test"
        await poll.wait()
        sandbox_server.faults.clear()
        await settle(pilot)
        (cycle,) = sync_log(db, tenant.id)
        assert cycle["orders_sent"] > 0 and cycle["error_message"] is None
        assert len(webhook_sink.deliveries) == cycle["orders_sent"]

    drive(app, scenario)


def test_dashboard_shows_sent_today_activity_and_retry_totals(backend, odoo_db, webhook_sink):
    tenant = add_tenant(backend, webhook_sink.url, odoo=odoo_db)
    webhook_sink.respond(503, times=2)
    result = backend.poll_now(tenant.id)
    assert result.failed == 2 and result.sent > 0
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        (row,) = _rows(app, "#tenants")
        assert row[1:4] == ["Le Juste", "active", "0s ago"] or row[3].endswith("s ago")
        assert row[4] == f"{result.sent} ✓"
        assert row[5] == "2 pending, 0 failed"
        (activity,) = _rows(app, "#activity")
        assert activity[1:] == ["Le Juste", f"{result.sent} orders sent, ⚠ 2 failed, queued"]
        assert _text(app, "#retry-totals") == "Retry Queue: 2 pending | 0 failed"
        assert _text(app, "#status-bar").startswith("Poller: STOPPED")

    drive(app, scenario)


def test_sync_log_filters_by_tenant(backend, db, odoo_db, webhook_sink):
    first = add_tenant(backend, webhook_sink.url, odoo=odoo_db, name="First")
    second = add_tenant(backend, "http://127.0.0.1:9/hooks", odoo=odoo_db, name="Second")
    backend.poll_now(first.id)
    backend.poll_now(second.id)
    backend.toggle_tenant(second.id)  # paused: its next poll is skipped, not logged
    app = OperatorConsole(backend, refresh_seconds=60)

    async def scenario(pilot):
        await pilot.press("l")
        await settle(pilot)
        assert sorted(row[1] for row in _rows(app, "#log")) == ["First", "Second"]
        app.screen.query_one("#log-tenant", Select).value = second.id
        await settle(pilot)
        (row,) = _rows(app, "#log")
        assert row[1] == "Second" and row[4] != "0"  # its webhook is down: all failed
        await pilot.press("escape")
        assert not isinstance(app.screen, SyncLogScreen)

    drive(app, scenario)


def test_retry_queue_retries_now_discards_and_shows_payloads(backend, db, odoo_db, webhook_sink):
    tenant = add_tenant(backend, webhook_sink.url, odoo=odoo_db)
    webhook_sink.respond(503, times=3)
    assert backend.poll_now(tenant.id).failed == 3
    delivered_before = len([d for d in webhook_sink.deliveries if d.status == 200])
    app = OperatorConsole(backend, refresh_seconds=60)

    def status_of(item_id):
        return db.fetchval("SELECT status FROM retry_queue WHERE id = %s", (item_id,))

    async def scenario(pilot):
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RetryQueueScreen)
        rows = _rows(app, "#retries")
        assert [row[4] for row in rows] == ["PENDING"] * 3
        first, second = int(rows[0][0]), int(rows[1][0])
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, PayloadDialog)
        assert rows[0][2] in app.screen.query_one("#payload").text
        await pilot.press("escape")
        await pilot.press("r")  # retry the first now
        await settle(pilot)
        assert status_of(first) == "SUCCESS"
        assert len([d for d in webhook_sink.deliveries if d.status == 200]) == delivered_before + 1
        await pilot.press("down", "x")  # discard the second
        await settle(pilot)
        assert status_of(second) == "DISCARDED"
        app.screen.query_one("#retry-status", Select).value = "PENDING"
        await settle(pilot)
        assert [row[4] for row in _rows(app, "#retries")] == ["PENDING"]
        app.screen.query_one("#retries-tenant", Select).value = tenant.id
        await settle(pilot)
        assert len(_rows(app, "#retries")) == 1

    drive(app, scenario)


def test_local_poller_polls_due_active_tenants_only(console_settings, console_orders, backend,
                                                    db, odoo_db, webhook_sink):  # fmt: skip
    active = add_tenant(backend, webhook_sink.url, odoo=odoo_db, name="Active")
    paused = add_tenant(backend, webhook_sink.url, odoo=odoo_db, name="Paused")
    backend.toggle_tenant(paused.id)
    cycles = []
    poller = LocalPoller(console_settings, on_cycle=cycles.append, orders=console_orders)
    poller.tick(db)
    assert [c.connection_id for c in cycles] == [active.id] and cycles[0].sent > 0
    poller.tick(db)  # its interval (60 s) has not passed: no second cycle
    assert len(cycles) == 1
    assert [row["connection_id"] for row in sync_log(db)] == [active.id]
