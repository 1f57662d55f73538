"""JSON-2 (`/json/2/<model>/<method>`) answers with the statuses of ODOO.md §2.2."""

from __future__ import annotations

import httpx
import pytest

KEYS = {"name", "message", "arguments", "context", "debug"}


@pytest.fixture
def db19(make_db):
    return make_db("19.0")


def post(db, path: str, body=None, key: str | None = None, **headers) -> httpx.Response:
    sent = {"Authorization": f"bearer {key or db.api_key}", "X-Odoo-Database": db.name, **headers}
    if isinstance(body, bytes):
        sent.setdefault("Content-Type", "application/json")
        return httpx.post(db.url + path, content=body, headers=sent)
    return httpx.post(db.url + path, json=body if body is not None else {}, headers=sent)


def test_search_read_with_named_arguments(db19):
    response = post(
        db19,
        "/json/2/res.partner/search_read",
        {"domain": [["is_company", "=", True]], "fields": ["name"], "limit": 3},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    rows = response.json()
    assert len(rows) == 3 and set(rows[0]) == {"id", "name"}
    assert db19.calls["search_read"] == 1


def test_record_methods_take_ids_and_create_returns_a_list(db19):
    created = post(db19, "/json/2/res.partner/create", {"vals_list": [{"name": "zz-json2"}]}).json()
    assert isinstance(created, list) and len(created) == 1
    read = post(db19, "/json/2/res.partner/read", {"ids": created, "fields": ["name"]}).json()
    assert read == [{"id": created[0], "name": "zz-json2"}]
    assert (
        post(db19, "/json/2/res.partner/write", {"ids": created, "vals": {"name": "zz-2"}}).json()
        is True
    )


def test_context_get_gives_the_uid(db19):
    assert post(db19, "/json/2/res.users/context_get").json()["uid"] == 2


def test_bad_or_missing_key_is_401(db19):
    response = post(db19, "/json/2/res.partner/search_count", {"domain": []}, key="wrong")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "bearer"
    body = response.json()
    assert set(body) == KEYS and body["name"] == "werkzeug.exceptions.Unauthorized"
    assert body["message"] == "Invalid apikey" and body["arguments"] == ["Invalid apikey", 401]
    response = httpx.post(db19.url + "/json/2/res.partner/search_count", json={"domain": []})
    assert (
        response.status_code == 401 and "Bearer Authorization header" in response.json()["message"]
    )
    db19.revoke_api_key()
    assert post(db19, "/json/2/res.partner/search_count", {"domain": []}).status_code == 401


def test_unknown_model_or_method_is_404(db19):
    response = post(db19, "/json/2/x.nope/search", {"domain": []})
    assert (
        response.status_code == 404
        and response.json()["message"] == "the model 'x.nope' does not exist"
    )
    response = post(db19, "/json/2/res.partner/nope", {})
    assert response.status_code == 404
    assert response.json()["message"] == "The method 'res.partner.nope' does not exist"
    response = post(db19, "/json/2/res.partner", {})
    assert response.status_code == 404 and "Did you mean" in response.json()["message"]


def test_bad_arguments_are_422(db19):
    response = post(db19, "/json/2/res.partner/search_count", {})
    assert response.status_code == 422
    assert response.json()["name"] == "werkzeug.exceptions.UnprocessableEntity"
    assert response.json()["message"] == "missing a required argument: 'domain'"
    response = post(db19, "/json/2/res.users/create", {"ids": [2], "vals_list": [{}]})
    assert (
        response.status_code == 422
        and response.json()["message"] == "cannot call res.users.create with ids"
    )
    response = post(db19, "/json/2/res.partner/search", {"domain": [], "bogus": 1})
    assert response.status_code == 422


def test_body_that_is_not_json_is_400(db19):
    response = post(db19, "/json/2/res.partner/search", b"{nope")
    assert response.status_code == 400
    assert response.json()["message"].startswith("could not parse the body as json")


def test_wrong_content_type_is_415_html(db19):
    response = post(db19, "/json/2/res.partner/search", b"{}", **{"Content-Type": "text/plain"})
    assert response.status_code == 415 and response.headers["content-type"].startswith("text/html")


def test_orm_errors_map_to_statuses(db19):
    response = post(db19, "/json/2/res.partner/search", {"domain": [["nope", "=", 1]]})
    assert response.status_code == 500 and response.json()["name"] == "builtins.ValueError"
    response = post(db19, "/json/2/res.partner/search", {"domain": [], "order": "name; x"})
    assert response.status_code == 422 and response.json()["name"] == "odoo.exceptions.UserError"


def test_json2_does_not_exist_before_saas_18_4(odoo_db):
    response = post(odoo_db, "/json/2/res.partner/search", {"domain": []})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")


def test_version_routes_of_19(db19, odoo_db):
    assert httpx.get(db19.url + "/json/version").json() == {
        "version_info": [19, 0, 0, "final", 0, ""],
        "version": "19.0",
    }
    assert httpx.get(odoo_db.url + "/json/version").status_code == 404
