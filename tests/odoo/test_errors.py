"""Odoo's error names and HTTP statuses become the suite's typed errors."""

import pytest

from odoo_engines.core.errors import PermanentError, TransientError
from odoo_engines.odoo import OdooAuthError, OdooModelMissing, OdooServerError, OdooUnavailable
from odoo_engines.odoo.errors import from_odoo


@pytest.mark.parametrize(
    ("name", "message", "status", "kind"),
    [
        ("odoo.exceptions.AccessDenied", "Access Denied", None, OdooAuthError),
        ("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401, OdooAuthError),
        ("odoo.exceptions.AccessDenied", "Access Denied", 403, OdooAuthError),
        ("odoo.exceptions.AccessError", "You are not allowed", 403, OdooServerError),
        ("builtins.ValueError", "Invalid field 'x' on model 'y'", None, OdooServerError),
        # a model whose app is not installed, over JSON-RPC and JSON-2
        ("odoo.exceptions.UserError", "Object stock.quant doesn't exist", None, OdooModelMissing),
        (
            "werkzeug.exceptions.NotFound",
            "the model 'stock.quant' does not exist",
            404,
            OdooModelMissing,
        ),
        ("odoo.exceptions.UserError", "Some other user error", None, OdooServerError),
        ("odoo.exceptions.MissingError", "Record does not exist", 404, OdooServerError),
        ("psycopg2.OperationalError", 'database "nope" does not exist', None, OdooServerError),
        ("psycopg2.OperationalError", "could not serialize access", None, OdooUnavailable),
        ("odoo.exceptions.LockError", "locked", 409, OdooUnavailable),
        # 19: a concurrent update Odoo gave up retrying; later it goes through
        ("odoo.exceptions.ConcurrencyError", "ConcurrencyError()", None, OdooUnavailable),
        (None, "HTTP 500 Internal Server Error", 500, OdooUnavailable),
        (None, "HTTP 404 Not Found", 404, OdooServerError),
        (None, "HTTP 401 Unauthorized", 401, OdooAuthError),
    ],
)
def test_error_kind(name, message, status, kind):
    error = from_odoo(name, message, status=status, where="res.partner.search_read")
    assert type(error) is kind
    assert error.name == name
    assert error.message == message
    assert error.status == status
    assert "res.partner.search_read" in str(error)


def test_auth_and_server_errors_are_permanent_unavailable_is_transient():
    assert issubclass(OdooAuthError, PermanentError)
    assert issubclass(OdooServerError, PermanentError)
    assert issubclass(OdooUnavailable, TransientError)
