"""execute_kw-style arguments map to JSON-2's named arguments."""

import pytest

from odoo_engines.odoo.protocols import json2_body


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "body"),
    [
        (
            "search_read",
            ([["active", "=", True]], ["name"]),
            {"limit": 5, "context": {"lang": "es_CL"}},
            {
                "domain": [["active", "=", True]],
                "fields": ["name"],
                "limit": 5,
                "context": {"lang": "es_CL"},
            },
        ),
        (
            "search",
            ([], 10, 5, "id asc"),
            {},
            {"domain": [], "offset": 10, "limit": 5, "order": "id asc"},
        ),
        ("search_count", ([["id", ">", 3]],), {}, {"domain": [["id", ">", 3]]}),
        ("read", ([1, 2], ["name"]), {}, {"ids": [1, 2], "fields": ["name"]}),
        ("read", (7,), {"fields": ["name"]}, {"ids": [7], "fields": ["name"]}),
        ("fields_get", (), {"attributes": ["type"]}, {"attributes": ["type"]}),
        ("create", ({"name": "x"},), {}, {"vals_list": [{"name": "x"}]}),
        (
            "create",
            ([{"name": "x"}, {"name": "y"}],),
            {},
            {"vals_list": [{"name": "x"}, {"name": "y"}]},
        ),
        ("write", ([5], {"name": "x"}), {}, {"ids": [5], "vals": {"name": "x"}}),
        ("unlink", ([5, 6],), {}, {"ids": [5, 6]}),
        ("context_get", (), {}, {}),
        (
            "name_search",
            ("Mesa", [["sale_ok", "=", True]]),
            {"limit": 3},
            {"name": "Mesa", "domain": [["sale_ok", "=", True]], "limit": 3},
        ),
        ("name_search", (), {"name": "Mesa", "args": []}, {"name": "Mesa", "domain": []}),
        ("action_confirm", ([12],), {}, {"ids": [12]}),
    ],
)
def test_mapping(method, args, kwargs, body):
    assert json2_body(method, args, kwargs) == body


def test_unmapped_positional_arguments_are_refused():
    with pytest.raises(TypeError, match="keyword"):
        json2_body("default_get", (["name"],), {})
    with pytest.raises(TypeError, match="keyword"):
        json2_body("search_count", ([], 1, 2), {})


def test_an_argument_given_twice_is_refused():
    with pytest.raises(TypeError, match="twice"):
        json2_body("search_read", ([],), {"domain": []})
