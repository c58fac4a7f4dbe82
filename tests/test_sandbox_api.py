"""The sandbox's REST API over real HTTP: each route's success and its errors."""

from __future__ import annotations

import json

import pytest

from bucket_sandbox.tokens import issue_token

from .conftest import DEMO_EMAIL, Api

NOT_ACTIVE = "The bearer token is not active"


def test_health_needs_no_token(sandbox):
    anonymous = Api(sandbox.api_url, None)
    assert anonymous("GET", "/").json() == {"status": "OK"}
    assert anonymous("GET", "/things/health").json() == {"status": "OK"}


def test_unknown_url_is_404_with_the_real_hint(api):
    response = api("GET", "/nothing/here")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "message": "Resource not found",
        "name": "DCD Hub Error",
        "hint": "This URL does not match any Bucket API.",
        "requirements": "",
    }


@pytest.mark.parametrize(
    ("headers", "hint"),
    [
        ({}, "Add 'Authorization' header."),
        ({"Authorization": "Token abc"}, "Add 'bearer ' in front of your 'Authorization' token."),
        ({"Authorization": "Bearer not-a-token"}, NOT_ACTIVE),
        ({"Authorization": "bearer not-a-token"}, NOT_ACTIVE),
    ],
)
def test_auth_failures_are_403_never_401(sandbox, headers, hint):
    anonymous = Api(sandbox.api_url, None)
    response = anonymous("GET", "/things", headers=headers)
    assert response.status_code == 403
    body = response.json()
    assert body["hint"] == hint
    assert (
        body["message"]
        == "Access denied - Authentication information missing, malformed or invalid"
    )
    assert body["requirements"] == "You must provide a valid bearer token."


def test_token_in_query_parameter_is_accepted(sandbox, token):
    anonymous = Api(sandbox.api_url, None)
    response = anonymous("GET", "/things", params={"authorization": token["access_token"]})
    assert response.status_code == 200


def test_under_scoped_token_is_403(sandbox):
    narrow = issue_token(sandbox.app, DEMO_EMAIL, scope="openid offline dcd:things")
    api = Api(sandbox.api_url, narrow["access_token"])
    assert api("GET", "/things").status_code == 200
    response = api("GET", "/types")
    assert response.status_code == 403 and response.json()["hint"] == NOT_ACTIVE
    shared = Api(sandbox.api_url, issue_token(sandbox.app, DEMO_EMAIL)["access_token"])
    assert shared("GET", "/properties").status_code == 403  # needs dcd:consents too


def test_thing_crud(api):
    created = api(
        "POST", "/things", json={"name": "Chair", "type": "Furniture", "description": "lost"}
    )
    assert created.status_code == 201
    thing = created.json()
    assert thing["id"].startswith("dcd:things:")
    assert thing["description"] == ""  # the real server drops it on create
    assert {
        "id",
        "name",
        "description",
        "type",
        "personId",
        "pem",
        "createdAt",
        "updatedAt",
    } <= set(thing)
    assert (
        api(
            "PATCH", f"/things/{thing['id']}", json={"name": "Chair 2", "description": "set"}
        ).status_code
        == 204
    )
    read = api("GET", f"/things/{thing['id']}").json()
    assert (read["name"], read["description"]) == ("Chair 2", "set")
    assert thing["id"] in [t["id"] for t in api("GET", "/things").json()]
    assert api("DELETE", f"/things/{thing['id']}").status_code == 204
    assert thing["id"] not in [t["id"] for t in api("GET", "/things").json()]


def test_deleted_thing_quirks(api):
    thing = api("POST", "/things", json={"name": "Gone", "type": "x"}).json()
    api("DELETE", f"/things/{thing['id']}")
    again = api("GET", f"/things/{thing['id']}")
    assert again.status_code == 200 and again.content == b""
    assert api("DELETE", f"/things/{thing['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "hint"), [({"type": "x"}, "Add field name."), ({"name": "x"}, "Add field type.")]
)
def test_create_thing_requires_name_and_type(api, body, hint):
    response = api("POST", "/things", json=body)
    assert response.status_code == 400
    assert response.json()["hint"] == hint
    assert response.json()["message"] == "Thing information missing or malformed"


def test_other_users_and_missing_things_are_both_403(api, other_api, thing):
    for client, thing_id in (
        (other_api, thing["id"]),
        (api, "dcd:things:00000000-0000-4000-8000-000000000000"),
    ):
        response = client("GET", f"/things/{thing_id}")
        assert response.status_code == 403
        assert response.json()["hint"] == "Request was not allowed"
    assert other_api("DELETE", f"/things/{thing['id']}").status_code == 403
    assert api("GET", f"/things/{thing['id']}").status_code == 200


def test_property_crud(api, thing):
    base = f"/things/{thing['id']}/properties"
    created = api("POST", base, json={"typeId": "TEMPERATURE"})
    assert created.status_code == 201
    prop = created.json()
    assert prop["id"].startswith("dcd:properties:")
    assert prop["name"] == "Temperature"  # empty name takes the type's
    assert [d["name"] for d in prop["type"]["dimensions"]] == ["Temperature"]
    listed = api("GET", base).json()
    assert [p["id"] for p in listed] == [prop["id"]]
    assert (
        api("PATCH", f"{base}/{prop['id']}", json={"name": "Soil", "description": "d"}).status_code
        == 204
    )
    assert api("GET", f"{base}/{prop['id']}").json()["name"] == "Soil"
    things = api("GET", "/things").json()
    listed_prop = next(t for t in things if t["id"] == thing["id"])["properties"][0]
    assert "dimensions" not in listed_prop["type"]
    assert api("DELETE", f"{base}/{prop['id']}").status_code == 204
    assert api("GET", base).json() == []


def test_create_property_errors(api, thing):
    base = f"/things/{thing['id']}/properties"
    missing = api("POST", base, json={"name": "x"})
    assert missing.status_code == 400 and missing.json()["hint"] == "Add field typeId."
    unknown = api("POST", base, json={"typeId": "NOPE"})
    assert unknown.status_code == 500
    assert unknown.json()["name"] == "EntityNotFound" and "hint" not in unknown.json()


def test_values_put_read_count_last(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    rows = [[1591868318000, 0, 1, 2], [1591868318200, 3, 1, 1.5]]
    put = api("PUT", path, json={"values": rows})
    assert put.status_code == 200 and put.content == b""
    read = api("GET", path, params={"from": 1591868318000, "to": 1591868318200}).json()
    assert read["values"] == rows
    assert "values" not in api("GET", path, params={"from": 0}).json()
    assert api("GET", path + "/count", params={"from": 0}).json() == [[0, 2, 2, 2]]
    last = api("GET", path + "/last").json()
    assert last == [[1591868318200, thing and accelerometer["id"], thing["id"], 3, 1, 1.5]]


def test_put_same_timestamp_overwrites(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    for _ in range(2):
        api("PUT", path, json={"values": [[1000, 1, 2, 3]]})
    api("PUT", path, json={"values": [[1000, 7, 8, 9]]})
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[1000, 7, 8, 9]]


def test_wrong_length_rows_are_skipped_silently(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    response = api(
        "PUT", path, json={"values": [[1000, 1, 2], [2000, 1, 2, 3], [3000, 1, 2, 3, 4]]}
    )
    assert response.status_code == 200
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[2000, 1, 2, 3]]


def test_type_mismatch_refuses_the_whole_body(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    response = api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, 1, "2", 3]]})
    assert response.status_code == 404
    assert response.json()["hint"] == "Mismatch type of value for dimension acceleration-y"
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == []


def test_bad_bodies_answer_as_the_real_server(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    broken = api("PUT", path, data=b'{"values": [}', headers={"Content-Type": "application/json"})
    assert broken.status_code == 500 and broken.json()["name"] == "SyntaxError"
    assert "position 12" in broken.json()["message"]
    big = {"values": [[i, 1.123456789, 2.123456789, 3.123456789] for i in range(3000)]}
    assert len(json.dumps(big)) > 100 * 1024
    too_big = api("PUT", path, json=big)
    assert too_big.status_code == 500
    assert too_big.json() == {
        "status": 500,
        "message": "request entity too large",
        "name": "PayloadTooLargeError",
    }
    text = api("PUT", path, data="1,2,3", headers={"Content-Type": "text/plain"})
    assert text.status_code == 500 and text.json()["hint"] == "Unsupported Content-Type."
    assert api("GET", path, params={"from": 0, "to": 10**13}).json()["values"] == []


def test_non_numeric_from_is_the_real_404(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    response = api("GET", path, params={"from": "yesterday", "to": 10})
    assert response.status_code == 404
    assert response.json()["hint"] == "Property not found in the thing."


def test_csv_on_accept_text_csv(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    api("PUT", path, json={"values": [[1000, 1, 2.5, 3], [2000, 4, 5, 6]]})
    response = api("GET", path, params={"from": 0, "to": 5000}, headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.text == "time,x,y,z\n1000,1,2.5,3\n2000,4,5,6\n"


def test_delete_timestamps(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, 4, 5, 6]]})
    missing = api("DELETE", path + "/timestamps", json={})
    assert missing.status_code == 400
    assert api("DELETE", path + "/timestamps", json={"timestamps": [1000]}).status_code == 204
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[2000, 4, 5, 6]]


def test_last_of_empty_property_is_500(api, thing, accelerometer):
    response = api("GET", f"/things/{thing['id']}/properties/{accelerometer['id']}/last")
    assert response.status_code == 500


def test_things_count_gives_every_property_count(api, thing, accelerometer):
    path = f"/things/{thing['id']}/properties/{accelerometer['id']}"
    api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, 4, 5, 6]]})
    things = api("GET", "/things/count", params={"from": 0}).json()
    prop = next(t for t in things if t["id"] == thing["id"])["properties"][0]
    assert prop["values"] == [[0, 2, 2, 2]]
    # count's from is nanoseconds: 1500 ms = 1.5e9 ns
    assert api("GET", path + "/count", params={"from": 1_500_000_000}).json() == [[0, 1, 1, 1]]


def test_types_list_create_delete(api, other_api):
    types = api("GET", "/types").json()
    assert isinstance(types, list) and len(types) >= 30
    assert types[0]["id"] == "ACCELEROMETER"
    body = {
        "id": "SANDBOX_TEST_TYPE",
        "name": "Test",
        "description": "t",
        "dimensions": [{"id": "a", "name": "a", "description": "", "unit": "u", "type": "number"}],
    }
    created = api("POST", "/types", json=body)
    assert created.status_code == 200 and created.json()["id"] == "SANDBOX_TEST_TYPE"
    assert other_api("DELETE", "/types/SANDBOX_TEST_TYPE").status_code == 403
    assert api("DELETE", "/types/SANDBOX_TEST_TYPE").status_code == 204
    assert api("DELETE", "/types/SANDBOX_TEST_TYPE").status_code == 404


def test_rate_limit_headers_and_429(limited_sandbox):
    token = issue_token(limited_sandbox.app, DEMO_EMAIL)
    api = Api(limited_sandbox.api_url, token["access_token"])
    first = api("GET", "/things")
    assert first.headers["RateLimit-Limit"] == "100"
    assert first.headers["RateLimit-Remaining"] == "99"
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 60
    for _ in range(99):
        assert api("GET", "/").status_code == 200
    refused = api("GET", "/things")
    assert refused.status_code == 429
    assert refused.text == "Too many requests, please try again later."
    assert refused.headers["Retry-After"] == "60"
