"""The keyset pager over (write_date, id) that loses no record sharing one second.

Odoo stores write_date with microseconds but prints it truncated to the second, and
16-18 compare domain values against the microsecond value while 19 compares whole
seconds (ODOO.md §3.4). The pager therefore only ever uses `>=` and `<` on whole
seconds, where all versions agree, and works in two moves:

* forward: `write_date >= X` ordered `write_date asc, id asc`. The rows of every second
  before the page's last one are complete (the order is by the real timestamp); the
  last second may continue beyond the page, and inside one second the order is by
  microsecond, not by id, so that second is left to
* tail: one second `[S, S+1s)` ordered `id asc` after the last id delivered, page by page.

The cursor `{"write_date": S, "id": n}` means: every record of a second before S and
every record of second S with an id up to n was delivered. A run that resumes from a
cursor first re-reads `overlap_seconds` behind it, because Odoo stamps write_date at the
start of the writing transaction and a late commit can carry an older time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

FORMAT = "%Y-%m-%d %H:%M:%S"
_SECOND_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
ONE_SECOND = timedelta(seconds=1)

# fetch(domain, order, limit) -> records, each with "id" and "write_date".
Fetch = Callable[[list, str, int], list[dict]]


@dataclass(frozen=True)
class Page:
    """Records of one page and the cursor to save once they are stored."""

    records: list[dict]
    cursor: dict


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in (write_date second, id) order."""

    write_date: str
    id: int

    @classmethod
    def from_dict(cls, data: Any) -> Cursor:
        """Validate a saved cursor; ValueError when it is not one of ours."""
        if not isinstance(data, dict):
            raise ValueError(f"not a pager cursor: {data!r}")
        second, last_id = data.get("write_date"), data.get("id")
        if not isinstance(second, str) or not _SECOND_TEXT.match(second):
            raise ValueError(f"pager cursor write_date must be 'YYYY-MM-DD HH:MM:SS': {second!r}")
        if not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 0:
            raise ValueError(f"pager cursor id must be a whole number >= 0: {last_id!r}")
        return cls(second, last_id)

    def to_dict(self) -> dict:
        return {"write_date": self.write_date, "id": self.id}


def _second(record: dict) -> str:
    return str(record["write_date"])[:19]


def _shift(second: str, delta: timedelta) -> str:
    return (datetime.strptime(second, FORMAT) + delta).strftime(FORMAT)


def keyset_pages(
    fetch: Fetch,
    domain: list,
    *,
    cursor: dict | None = None,
    page_size: int = 500,
    overlap_seconds: int = 0,
) -> Iterator[Page]:
    """Yield every record matching `domain` changed at or after `cursor`, page by page."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    saved = Cursor.from_dict(cursor) if cursor is not None else None
    best = saved
    # The state is either "forward from second `start`" (tail is None) or
    # "second `start` after id `tail`".
    start: str | None
    tail: int | None
    if saved is None:
        start, tail = None, None
    elif overlap_seconds > 0:
        start, tail = _shift(saved.write_date, -overlap_seconds * ONE_SECOND), None
    else:
        start, tail = saved.write_date, saved.id

    def page(records: list[dict], position: Cursor) -> Page:
        nonlocal best
        best = position if best is None else max(best, position)
        return Page(records, best.to_dict())

    while True:
        if tail is not None and start is not None:
            window = [
                ["write_date", ">=", start],
                ["write_date", "<", _shift(start, ONE_SECOND)],
                ["id", ">", tail],
            ]
            rows = fetch([*domain, *window], "id asc", page_size)
            if rows:
                yield page(rows, Cursor(start, rows[-1]["id"]))
            if len(rows) < page_size:
                start, tail = _shift(start, ONE_SECOND), None
            else:
                tail = rows[-1]["id"]
            continue
        leaf = ["write_date", ">=", start] if start else ["write_date", "!=", False]
        rows = fetch([*domain, leaf], "write_date asc, id asc", page_size)
        if len(rows) < page_size:
            if rows:
                last = _second(rows[-1])
                top = max(r["id"] for r in rows if _second(r) == last)
                yield page(rows, Cursor(last, top))
            return
        last = _second(rows[-1])
        complete = [r for r in rows if _second(r) < last]
        if complete:
            yield page(complete, Cursor(last, 0))
        start, tail = last, 0
