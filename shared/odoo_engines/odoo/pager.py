"""The keyset pager over (write_date, id) that loses no record sharing one second.

Odoo stores write_date with microseconds but prints it truncated to the second, and
16-18 compare domain values against the microsecond value while 19 compares whole
seconds (ODOO.md §3.4). The pager therefore only ever uses `>=` and `<` on whole
seconds, where all versions agree, plus leaves on `id`:

* forward: `write_date >= X` ordered `write_date asc, id asc`. Rows of every second
  before the page's last one are complete (the order is by the real timestamp). The
  last second may go on beyond the page, and inside one second the order is by
  microsecond, not by id: the next page starts again at that second and leaves out,
  by id, the rows of it already delivered.
* tail: when a whole page is one second (a bulk import, a mass edit), that second
  `[S, S+1s)` is walked in `id` order instead, so the list of ids left out stays short.

The saved cursor `{"write_date": S, "id": n}` means: every record of a second before S
and every record of second S with an id up to n was delivered. A run that stops
mid-way may deliver a few rows of the cursor's second again when resumed; a run that
resumes from a cursor first re-reads `overlap_seconds` behind it, because Odoo stamps
write_date at the start of the writing transaction and a late commit can carry an
older time. Callers' upserts are idempotent, so re-reading is safe.
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
Fetch = Callable[[list[Any], str, int], list[dict[str, Any]]]


@dataclass(frozen=True)
class Page:
    """Records of one page and the cursor to save once they are stored."""

    records: list[dict[str, Any]]
    cursor: dict[str, Any]


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

    def to_dict(self) -> dict[str, Any]:
        return {"write_date": self.write_date, "id": self.id}


def _second(record: dict[str, Any]) -> str:
    return str(record["write_date"])[:19]


def _shift(second: str, delta: timedelta) -> str:
    return (datetime.strptime(second, FORMAT) + delta).strftime(FORMAT)


def keyset_pages(
    fetch: Fetch,
    domain: list[Any],
    *,
    cursor: dict[str, Any] | None = None,
    page_size: int = 500,
    overlap_seconds: int = 0,
) -> Iterator[Page]:
    """Yield every record matching `domain` changed at or after `cursor`, page by page.

    A page is empty only when the cursor moved without new records (the end of a
    second walked by id).
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    saved = Cursor.from_dict(cursor) if cursor is not None else None
    best = saved
    # State: second `start` (None: from the beginning); `tail` is None to go forward
    # from it, or the last id delivered while walking that second by id; `done` holds
    # ids of second `start` this run already delivered.
    # `after`: ids of second `start` up to it were delivered by an earlier run (an exact
    # resume costs one query, not a walk of the cursor's second and then another).
    start: str | None
    tail: int | None
    after: int | None = None
    if saved is None:
        start, tail = None, None
    elif overlap_seconds > 0:
        start, tail = _shift(saved.write_date, -overlap_seconds * ONE_SECOND), None
    else:
        start, tail, after = saved.write_date, None, saved.id
    done: list[int] = []

    def page(records: list[dict[str, Any]], position: Cursor) -> Page:
        nonlocal best
        best = position if best is None else max(best, position)
        return Page(records, best.to_dict())

    while True:
        skip = [["id", "not in", done]] if done else []
        if tail is not None and start is not None:
            window = [
                ["write_date", ">=", start],
                ["write_date", "<", _shift(start, ONE_SECOND)],
                ["id", ">", tail],
            ]
            rows = fetch([*domain, *window, *skip], "id asc", page_size)
            if len(rows) == page_size:
                tail = rows[-1]["id"]
                yield page(rows, Cursor(start, tail))
                continue
            # The second is complete: the cursor may move past every id of it delivered,
            # even when this last query found nothing new (then the page is empty).
            position = Cursor(start, max([tail, *done, *(r["id"] for r in rows)]))
            if rows or best is None or position > best:
                yield page(rows, position)
            start, tail, done = _shift(start, ONE_SECOND), None, []
            continue
        since = ["write_date", ">=", start] if start else ["write_date", "!=", False]
        beyond = []
        if after is not None and start is not None:
            beyond = ["|", ["write_date", ">=", _shift(start, ONE_SECOND)], ["id", ">", after]]
        rows = fetch([*domain, since, *beyond, *skip], "write_date asc, id asc", page_size)
        if not rows:
            return
        last = _second(rows[-1])
        in_last = [r["id"] for r in rows if _second(r) == last]
        carried = done if last == start else []
        floor = [after] if after is not None and last == start else []
        if len(rows) < page_size:
            yield page(rows, Cursor(last, max(in_last + carried + floor)))
            return
        # The last second may continue beyond this page: nothing of it is promised yet.
        yield page(rows, Cursor(last, 0))
        after = floor[0] if floor else None
        start, done = last, carried + in_last
        if len(in_last) == len(rows):
            tail = after or 0  # a whole page in one second: walk that second by id
