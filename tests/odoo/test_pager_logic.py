"""The keyset pager's logic against an in-memory table that compares like Odoo does.

`Table` keeps write_date with microseconds and prints it truncated, and compares
domain values either against the microsecond value (16-18) or by whole seconds (19),
so each property is checked under both behaviours. The same pager runs against the
sandbox Odoo over HTTP in test_client_pages.py.
"""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo_engines.odoo.pager import Cursor, keyset_pages

T0 = datetime(2024, 5, 1, 10, 0, 0)
FMT = "%Y-%m-%d %H:%M:%S"


class Table:
    """Rows of (id, write_date with microseconds) queried with Odoo's domain semantics."""

    def __init__(self, rows, whole_seconds: bool):
        self.rows = dict(rows)  # id -> datetime
        self.whole_seconds = whole_seconds
        self.calls = 0

    def _match(self, value: datetime, op: str, text):
        if text is False:
            return op == "!=" and value is not None
        bound = datetime.strptime(text, FMT)
        if self.whole_seconds:  # 19: `>` t is `>= t+1s`, `<=` t is `< t+1s`, `=` is [t, t+1s)
            second = value.replace(microsecond=0)
            return {
                ">=": second >= bound,
                ">": second > bound,
                "<": second < bound,
                "<=": second <= bound,
                "=": second == bound,
            }[op]
        return {
            ">=": value >= bound,
            ">": value > bound,
            "<": value < bound,
            "<=": value <= bound,
            "=": value == bound,
        }[op]

    def _leaf(self, rid, when, leaf):
        field, op, value = leaf
        if field == "id":
            return rid > value if op == ">" else rid not in value
        return self._match(when, op, value)

    def _matches(self, rid, when, domain):
        """Implicit AND of terms; `|` (prefix, arity 2) as Odoo reads it."""
        terms, results = list(domain), []
        while terms:
            term = terms.pop(0)
            if term == "|":
                left, right = terms.pop(0), terms.pop(0)
                results.append(self._leaf(rid, when, left) or self._leaf(rid, when, right))
            else:
                results.append(self._leaf(rid, when, term))
        return all(results)

    def fetch(self, domain, order, limit):
        self.calls += 1
        found = [(rid, when) for rid, when in self.rows.items()
                 if self._matches(rid, when, domain)]  # fmt: skip
        if order == "id asc":
            found.sort(key=lambda r: r[0])
        else:
            assert order == "write_date asc, id asc"
            found.sort(key=lambda r: (r[1], r[0]))
        return [{"id": rid, "write_date": when.strftime(FMT)} for rid, when in found[:limit]]


def ids_of(pages):
    return [r["id"] for p in pages for r in p.records]


def one_second_rows(n=250):
    # Same second, microseconds in the reverse order of the ids: the order inside
    # the second is by microsecond, never by id.
    return {i: T0 + timedelta(microseconds=(n - i) * 1000) for i in range(1, n + 1)}


@pytest.mark.parametrize("whole_seconds", [False, True])
def test_250_records_in_one_second_come_out_exactly_once(whole_seconds):
    table = Table(one_second_rows(), whole_seconds)
    pages = list(keyset_pages(table.fetch, [], page_size=100))
    assert sorted(ids_of(pages)) == list(range(1, 251))
    assert len(ids_of(pages)) == 250
    assert all(len(p.records) <= 100 for p in pages)
    assert pages[-1].cursor == {"write_date": "2024-05-01 10:00:00", "id": 250}
    # A forward page all in one second, then that second by id (100 + 50), then an empty
    # forward page.
    assert table.calls == 4


@pytest.mark.parametrize("whole_seconds", [False, True])
def test_resuming_from_every_saved_cursor_loses_nothing(whole_seconds):
    rows = one_second_rows(120)
    rows.update({1000 + i: T0 + timedelta(seconds=1 + i // 7, microseconds=i) for i in range(60)})
    table = Table(rows, whole_seconds)
    full = list(keyset_pages(table.fetch, [], page_size=25))
    for stop in range(len(full)):
        first = ids_of(full[: stop + 1])
        cursor = full[stop].cursor
        rest = ids_of(keyset_pages(table.fetch, [], cursor=cursor, page_size=25))
        assert set(first + rest) == set(rows)
        assert len(rest) == len(set(rest))
        # Only rows of the cursor's own second may come again.
        again = set(first) & set(rest)
        assert all(rows[i].strftime(FMT) == cursor["write_date"] for i in again)


def test_spread_rows_take_one_call_per_page():
    rows = {i: T0 + timedelta(milliseconds=300 * i) for i in range(1, 1001)}
    table = Table(rows, False)
    pages = list(keyset_pages(table.fetch, [], page_size=100))
    assert sorted(ids_of(pages)) == sorted(rows)
    assert table.calls == 11  # ten full pages and the empty one that ends the run


@pytest.mark.parametrize("whole_seconds", [False, True])
def test_later_writes_are_picked_up_and_nothing_else(whole_seconds):
    table = Table(one_second_rows(30), whole_seconds)
    cursor = list(keyset_pages(table.fetch, [], page_size=10))[-1].cursor
    table.rows[7] = T0 + timedelta(seconds=5, microseconds=1)
    table.rows[31] = T0 + timedelta(seconds=5)
    again = list(keyset_pages(table.fetch, [], cursor=cursor, page_size=10))
    assert sorted(ids_of(again)) == [7, 31]
    assert again[-1].cursor == {"write_date": "2024-05-01 10:00:05", "id": 31}


@pytest.mark.parametrize("whole_seconds", [False, True])
def test_a_late_commit_is_caught_only_by_the_overlap_window(whole_seconds):
    table = Table({i: T0 + timedelta(seconds=i) for i in range(1, 11)}, whole_seconds)
    cursor = list(keyset_pages(table.fetch, [], page_size=4))[-1].cursor
    # A transaction that started at T0+3s commits now: its row carries that older time.
    table.rows[11] = T0 + timedelta(seconds=3, microseconds=500)
    assert ids_of(keyset_pages(table.fetch, [], cursor=cursor, page_size=4)) == []
    overlap = ids_of(keyset_pages(table.fetch, [], cursor=cursor, page_size=4, overlap_seconds=30))
    assert 11 in overlap
    assert len(overlap) == len(set(overlap))


def test_the_cursor_never_moves_back_during_an_overlap_re_read():
    table = Table({i: T0 + timedelta(seconds=i) for i in range(1, 11)}, False)
    saved = {"write_date": "2024-05-01 10:00:10", "id": 10}
    pages = list(keyset_pages(table.fetch, [], cursor=saved, page_size=2, overlap_seconds=60))
    assert ids_of(pages) == list(range(1, 11))
    assert all(p.cursor == saved for p in pages)


def test_the_caller_domain_is_kept():
    table = Table(one_second_rows(10), False)
    seen = []

    def fetch(domain, order, limit):
        seen.append(domain)
        return table.fetch(domain[1:], order, limit)

    list(keyset_pages(fetch, [["active", "=", True]], page_size=3))
    assert all(d[0] == ["active", "=", True] for d in seen)


@pytest.mark.parametrize(
    "bad",
    [
        {"write_date": "2024-05-01T10:00:00", "id": 1},
        {"write_date": "2024-05-01 10:00:00", "id": -1},
        {"write_date": "2024-05-01 10:00:00", "id": "3"},
        {"id": 3},
        "2024-05-01",
    ],
)
def test_a_cursor_that_is_not_ours_is_refused(bad):
    with pytest.raises(ValueError, match="cursor"):
        list(keyset_pages(Table({}, False).fetch, [], cursor=bad))


def test_cursors_order_by_second_then_id():
    assert Cursor("2024-05-01 10:00:00", 99) < Cursor("2024-05-01 10:00:01", 1)
    assert Cursor("2024-05-01 10:00:01", 2) > Cursor("2024-05-01 10:00:01", 1)


rows_strategy = st.dictionaries(
    st.integers(1, 400),
    st.tuples(st.integers(0, 4), st.integers(0, 999_999)).map(
        lambda t: T0 + timedelta(seconds=t[0], microseconds=t[1])
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy, page_size=st.integers(1, 12), whole_seconds=st.booleans())
def test_any_table_any_page_size_every_id_exactly_once(rows, page_size, whole_seconds):
    table = Table(rows, whole_seconds)
    pages = list(keyset_pages(table.fetch, [], page_size=page_size))
    delivered = ids_of(pages)
    assert sorted(delivered) == sorted(rows)
    cursors = [Cursor.from_dict(p.cursor) for p in pages]
    assert cursors == sorted(cursors)
    assert all(len(p.records) <= page_size for p in pages)
    # An empty page only ever moves the cursor on.
    assert all(p.records or (i and cursors[i - 1] < cursors[i]) for i, p in enumerate(pages))


@pytest.mark.parametrize("whole_seconds", [False, True])
def test_an_exact_resume_with_nothing_new_costs_one_query(whole_seconds):
    table = Table(one_second_rows(30), whole_seconds)
    pages = list(keyset_pages(table.fetch, [], page_size=100))
    table.calls = 0
    again = list(keyset_pages(table.fetch, [], cursor=pages[-1].cursor, page_size=100))
    assert ids_of(again) == [] and table.calls == 1
    table.rows[31] = T0 + timedelta(microseconds=999_999)  # same second, a higher id
    newer = list(keyset_pages(table.fetch, [], cursor=pages[-1].cursor, page_size=100))
    assert ids_of(newer) == [31]
