"""Which Odoo release a sandbox database imitates, and what that changes (ODOO.md §1-§6).

`Release.parse("17.0")`, `"18.0+e"`, `"saas~17.2+e"`: every behaviour that differs between
versions is a property here, so the rest of the sandbox asks `release.x` instead of
comparing numbers. Gates on SaaS minor versions follow the PR labels ODOO.md cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"^(?P<saas>saas~)?(?P<major>\d+)\.(?P<minor>\d+)(?P<e>\+e)?$")


@dataclass(frozen=True)
class Release:
    """An Odoo server version as `common.version` reports it."""

    major: int
    minor: int
    saas: bool = False
    enterprise: bool = False

    @classmethod
    def parse(cls, text: str) -> Release:
        """`"16.0"`..`"19.0"`, `"17.0+e"` or `"saas~17.2+e"`; ValueError otherwise."""
        match = _VERSION.match(text.strip())
        if not match or not 16 <= int(match["major"]) <= 19:
            raise ValueError(f"unsupported Odoo version {text!r}: use 16.0 to 19.0 or saas~X.Y")
        return cls(int(match["major"]), int(match["minor"]), bool(match["saas"]), bool(match["e"]))

    def at_least(self, major: int, minor: int = 0) -> bool:
        return (self.major, self.minor) >= (major, minor)

    # -- what common.version answers (§1.2) --------------------------------------------
    @property
    def server_version(self) -> str:
        prefix = "saas~" if self.saas else ""
        return f"{prefix}{self.major}.{self.minor}{'+e' if self.enterprise else ''}"

    @property
    def version_info(self) -> list:
        # On SaaS the first element is a string ("saas~17"): clients must not int() it.
        first: int | str = f"saas~{self.major}" if self.saas else self.major
        return [first, self.minor, 0, "final", 0, "e" if self.enterprise else ""]

    @property
    def serie(self) -> str:
        return f"{'saas~' if self.saas else ''}{self.major}.{self.minor}"

    def version_dict(self) -> dict:
        return {
            "server_version": self.server_version,
            "server_version_info": self.version_info,
            "server_serie": self.serie,
            "protocol_version": 1,
        }

    # -- protocol ----------------------------------------------------------------------
    @property
    def error_code(self) -> int:
        """JSON-RPC error `code`: 200 until 18.0, 0 from saas-18.1 (PR odoo/odoo#183902)."""
        return 0 if self.at_least(18, 1) else 200

    @property
    def json2(self) -> bool:
        """`/json/2/<model>/<method>` exists from saas-18.4 (PR odoo/odoo#197801)."""
        return self.at_least(18, 4)

    @property
    def strict_content_type_415(self) -> bool:
        """19 answers a wrong Content-Type on /jsonrpc with 415, earlier versions with 400."""
        return self.at_least(19)

    # -- ORM ---------------------------------------------------------------------------
    @property
    def last_update_field(self) -> bool:
        """`__last_update` exists only before saas-16.1 (PR odoo/odoo#105739)."""
        return not self.at_least(16, 1)

    @property
    def name_get(self) -> bool:
        """`name_get` is removed in 18.0."""
        return not self.at_least(18)

    @property
    def search_count_kwarg(self) -> bool:
        """`search(count=True)` only in 16."""
        return not self.at_least(17)

    @property
    def any_operator(self) -> bool:
        return self.at_least(17)

    @property
    def not_eq_like_operators(self) -> bool:
        return self.at_least(19)

    @property
    def falsy_is_null(self) -> bool:
        """18+: '' and 0 behave like NULL for char/text/html and numeric fields (§3.1)."""
        return self.at_least(18)

    @property
    def whole_second_datetimes(self) -> bool:
        """19 compares datetimes by whole seconds; 16-18 against microseconds (§3.4)."""
        return self.at_least(19)

    @property
    def drops_unsearchable_conditions(self) -> bool:
        """16-18 log and drop a condition on a non-stored, unsearchable field (§3.1)."""
        return not self.at_least(19)

    @property
    def sale_locked(self) -> bool:
        """17+: `locked` Boolean instead of the `done` state."""
        return self.at_least(17)

    @property
    def is_storable(self) -> bool:
        """18+: `type` consu/service/combo + `is_storable` instead of `detailed_type`."""
        return self.at_least(18)

    @property
    def groups_field(self) -> str:
        """res.users' groups: `groups_id` until 18, `group_ids` from 19."""
        return "group_ids" if self.at_least(19) else "groups_id"

    @property
    def is_favorite(self) -> bool:
        """18+: `is_favorite` Boolean instead of `priority`."""
        return self.at_least(18)

    @property
    def partner_mobile(self) -> bool:
        """`res.partner.mobile` is removed in saas-18.2 (PR odoo/odoo#189739)."""
        return not self.at_least(18, 2)

    @property
    def uom_category(self) -> bool:
        return not self.at_least(19)

    @property
    def line_field_names(self) -> tuple[str, str]:
        """sale.order.line unit and taxes: (product_uom, tax_id) until 18, then *_id/_ids."""
        return ("product_uom_id", "tax_ids") if self.at_least(19) else ("product_uom", "tax_id")

    @property
    def unknown_method_message(self) -> str:
        if self.at_least(18):
            return "The method '{model}.{method}' does not exist"
        return "type object '{model}' has no attribute '{method}'"
