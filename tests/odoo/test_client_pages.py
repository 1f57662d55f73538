"""client.pages over the sandbox: records sharing one second, resuming, overlap, archived."""

import json
from datetime import datetime, timedelta

import pytest

T0 = datetime(2024, 5, 1, 10, 0, 0, 250_000)
BATCH = [["default_code", "=like", "PAGER-%"]]
FIELDS = ["name", "default_code"]


def create_products(db, count, at, first=0, **vals):
    """`count` products written in one transaction that started at `at`."""
    with db.transaction(at=at):
        return [
            db.create(
                "product.product", {"name": f"Pager {i}", "default_code": f"PAGER-{i}", **vals}
            )
            for i in range(first, first + count)
        ]


def ids_of(pages):
    return [r["id"] for p in pages for r in p.records]


@pytest.mark.parametrize("version", ["16.0", "17.0", "18.0", "19.0"])
def test_250_records_sharing_one_second_come_out_once_each(make_db, connect, version):
    db = make_db(version)
    ids = create_products(db, 250, T0)
    client = connect(db)
    pages = list(client.pages("product.product", BATCH, FIELDS, page_size=100))
    delivered = ids_of(pages)
    assert len(delivered) == 250 and set(delivered) == set(ids)
    assert all(len(p.records) <= 100 for p in pages)
    assert pages[-1].cursor == {"write_date": "2024-05-01 10:00:00", "id": max(ids)}
    assert all(r["write_date"] == "2024-05-01 10:00:00" for p in pages for r in p.records)


def test_a_run_resumes_from_a_saved_cursor(odoo_db, connect):
    ids = create_products(odoo_db, 250, T0)
    ids += create_products(odoo_db, 40, T0 + timedelta(seconds=1), first=250)
    client = connect(odoo_db)
    run = client.pages("product.product", BATCH, FIELDS, page_size=100)
    first = [next(run), next(run)]
    saved = json.loads(json.dumps(first[-1].cursor))  # as stored in sync_state
    rest = list(client.pages("product.product", BATCH, FIELDS, cursor=saved, overlap_seconds=0))
    assert sorted(ids_of(first) + ids_of(rest)) == sorted(ids)


def test_a_later_run_picks_up_later_writes_only(odoo_db, connect):
    ids = create_products(odoo_db, 30, T0)
    client = connect(odoo_db)
    cursor = list(client.pages("product.product", BATCH, FIELDS, page_size=10))[-1].cursor
    odoo_db.write("product.product", ids[:3], {"name": "Renamed"})
    new = create_products(odoo_db, 2, None, first=30)
    again = list(client.pages("product.product", BATCH, FIELDS, cursor=cursor, overlap_seconds=0))
    assert sorted(ids_of(again)) == sorted(ids[:3] + new)
    assert again[-1].cursor["write_date"] > cursor["write_date"]


def test_a_late_commit_is_caught_by_the_overlap_window(odoo_db, connect):
    create_products(odoo_db, 20, T0)
    create_products(odoo_db, 5, T0 + timedelta(seconds=30), first=20)
    client = connect(odoo_db)
    cursor = list(client.pages("product.product", BATCH, FIELDS))[-1].cursor
    # A transaction that started 10 s before the newest record commits only now.
    late = create_products(odoo_db, 1, T0 + timedelta(seconds=20), first=25)
    without = ids_of(
        client.pages("product.product", BATCH, FIELDS, cursor=cursor, overlap_seconds=0)
    )
    assert late[0] not in without
    pages = list(client.pages("product.product", BATCH, FIELDS, cursor=cursor, overlap_seconds=15))
    assert late[0] in ids_of(pages)
    assert pages[-1].cursor == cursor  # re-reading never moves the cursor back


def test_archived_records_come_only_when_asked(odoo_db, connect):
    active = create_products(odoo_db, 5, T0)
    archived = create_products(odoo_db, 3, T0, first=5, active=False)
    client = connect(odoo_db)
    assert sorted(ids_of(client.pages("product.product", BATCH, FIELDS))) == sorted(active)
    everything = ids_of(client.pages("product.product", BATCH, FIELDS, include_archived=True))
    assert sorted(everything) == sorted(active + archived)


def test_the_pager_counts_its_calls(odoo_db, connect):
    create_products(odoo_db, 250, T0)
    client = connect(odoo_db)
    client.login()
    client.fields("product.product")
    before = client.calls
    list(client.pages("product.product", BATCH, FIELDS, page_size=100))
    # A forward page all in one second, that second by id (100 + 50), an empty forward page.
    assert client.calls - before == 4


@pytest.mark.parametrize("version", ["17.0", "19.0"])
def test_inline_pages_do_not_make_odoo_count_every_match(make_db, connect, version):
    """`web_search_read` counts all matches after a full page unless given `count_limit`:
    a second query per page for a `length` the pager never reads."""
    db = make_db(version)
    create_products(db, 250, T0)
    client = connect(db)
    pages = list(client.pages("product.product", BATCH, FIELDS, page_size=100,
                              inline={"categ_id": ["name"]}))  # fmt: skip
    assert sum(len(p.records) for p in pages) == 250
    assert db.calls["web_search_read"] >= len(pages) and db.calls["web_search_read:count"] == 0
