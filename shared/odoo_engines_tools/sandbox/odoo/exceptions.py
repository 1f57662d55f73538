"""The exceptions the sandbox raises, named as Odoo serializes them (ODOO.md §1.4, §2.2).

`data.name` in the JSON-RPC error envelope is `<module>.<class>` of the exception Odoo
raised; `OdooException.name` carries that text and `http_status` what JSON-2 answers.
"""

from __future__ import annotations

from typing import ClassVar


class OdooException(Exception):
    """An error as Odoo reports it: `name` (e.g. odoo.exceptions.UserError) and a message."""

    name = "odoo.exceptions.UserError"
    http_status = 500

    def __init__(self, message: str, *arguments):
        super().__init__(message, *arguments)
        self.message = message

    @property
    def arguments(self) -> list:
        return list(self.args)


class UserError(OdooException):
    name = "odoo.exceptions.UserError"
    http_status = 422


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class AccessError(OdooException):
    name = "odoo.exceptions.AccessError"
    http_status = 403


class AccessDenied(OdooException):
    name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)


class MissingError(OdooException):
    name = "odoo.exceptions.MissingError"
    http_status = 404


class OdooValueError(OdooException):
    """What Odoo's own `ValueError`s look like (unknown field, bad domain)."""

    name = "builtins.ValueError"


class OdooTypeError(OdooException):
    name = "builtins.TypeError"


class OdooAttributeError(OdooException):
    name = "builtins.AttributeError"


class OperationalError(OdooException):
    """A database that does not exist: psycopg2 fails before any ORM code runs."""

    name = "psycopg2.OperationalError"


class HttpException(OdooException):
    """A werkzeug HTTP exception (JSON-2 answers with its status; arguments (text, code))."""

    titles: ClassVar[dict[int, str]] = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        415: "UnsupportedMediaType",
        422: "UnprocessableEntity",
    }

    def __init__(self, status: int, message: str):
        super().__init__(message, status)
        self.http_status = status
        self.name = f"werkzeug.exceptions.{self.titles[status]}"
