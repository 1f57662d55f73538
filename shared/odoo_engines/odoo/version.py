"""Odoo server versions as `common.version` reports them: "17.0", "saas~17.2+e", "18.0-20240101"."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_VERSION = re.compile(r"^\s*(?P<saas>saas~)?(?P<major>\d+)(?:\.(?P<minor>\d+))?")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class OdooVersion:
    """Major/minor of an Odoo server, whether it is Odoo Online (saas) and Enterprise."""

    major: int
    minor: int = 0
    saas: bool = False
    enterprise: bool = False
    raw: str = ""

    @classmethod
    def parse(cls, value: str | Mapping[str, Any] | Sequence[Any]) -> OdooVersion:
        """Parse `server_version`, a whole `common.version` answer or `server_version_info`.

        `server_version_info[0]` is a string on Odoo Online ("saas~17"), so it is read
        with a regex like the rest, never with `int()`.
        """
        if isinstance(value, Mapping):
            if value.get("server_version"):
                return cls.parse(str(value["server_version"]))
            if value.get("server_version_info"):
                return cls.parse(value["server_version_info"])
            raise ValueError(f"no server_version in {sorted(value)}")
        if isinstance(value, str):
            match = _VERSION.match(value)
            if not match:
                raise ValueError(f"not an Odoo version: {value!r}")
            return cls(
                major=int(match["major"]),
                minor=int(match["minor"] or 0),
                saas=bool(match["saas"]),
                enterprise="+e" in value,
                raw=value.strip(),
            )
        return cls._from_info(list(value))

    @classmethod
    def _from_info(cls, info: list[Any]) -> OdooVersion:
        head = str(info[0]) if info else ""
        major = _DIGITS.search(head)
        if not major:
            raise ValueError(f"not an Odoo version_info: {info!r}")
        minor = _DIGITS.search(str(info[1])) if len(info) > 1 else None
        saas = head.startswith("saas")
        number = f"{major.group()}.{minor.group() if minor else 0}"
        edition = len(info) > 5 and info[5] == "e"
        return cls(
            major=int(major.group()),
            minor=int(minor.group()) if minor else 0,
            saas=saas,
            enterprise=edition,
            raw=("saas~" if saas else "") + number + ("+e" if edition else ""),
        )

    def at_least(self, major: int, minor: int = 0) -> bool:
        """True when this server is `major.minor` or newer."""
        return (self.major, self.minor) >= (major, minor)

    @property
    def has_json2(self) -> bool:
        """JSON-2 (`/json/2/<model>/<method>`) is what we use from 19.0 on."""
        return self.at_least(19)

    def __str__(self) -> str:
        return self.raw or f"{self.major}.{self.minor}"
