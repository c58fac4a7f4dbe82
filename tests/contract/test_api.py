"""Bucket's REST API over real HTTP, each route the client uses, its errors and limits:
the same assertions for the sandbox and for the real server's code."""

from __future__ import annotations

import json
import uuid

import pytest

from ..conftest import DEMO_EMAIL, Api

NOT_ACTIVE = "The bearer token is not active"
OTHER_THING = "dcd:things:00000000-0000-4000-8000-000000000000"


def values_path(thing, prop) -> str:
    return f"/things/{thing['id']}/properties/{prop['id']}"


def test_health_needs_no_token(server):
    anonymous = Api(server.api_url, None)
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
def test_auth_failures_are_403_never_401(server, headers, hint):
    response = Api(server.api_url, None)("GET", "/things", headers=headers)
    assert response.status_code == 403
    body = response.json()
    assert body["hint"] == hint
    assert (
        body["message"]
        == "Access denied - Authentication information missing, malformed or invalid"
    )
    assert body["requirements"] == "You must provide a valid bearer token."


def test_token_in_query_parameter_is_accepted(server):
    token = server.token()["access_token"]
    response = Api(server.api_url, None)("GET", "/things", params={"authorization": token})
    assert response.status_code == 200


def test_under_scoped_token_is_403(server):
    narrow = server.api(DEMO_EMAIL, scope="openid offline dcd:things")
    assert narrow("GET", "/things").status_code == 200
    response = narrow("GET", "/types")
    assert response.status_code == 403 and response.json()["hint"] == NOT_ACTIVE
    without_consents = server.api(DEMO_EMAIL, scope="openid offline dcd:things dcd:properties")
    assert without_consents("GET", "/properties").status_code == 403  # needs dcd:consents too


def test_thing_crud(api):
    created = api(
        "POST", "/things", json={"name": "Chair", "type": "Furniture", "description": "lost"}
    )
    assert created.status_code == 201
    thing = created.json()
    assert thing["id"].startswith("dcd:things:")
    assert thing["description"] == ""  # the real server drops it on create
    assert {"id", "name", "description", "type", "personId", "createdAt", "updatedAt"} <= set(thing)
    patch = api("PATCH", f"/things/{thing['id']}", json={"name": "Chair 2", "description": "set"})
    assert patch.status_code == 204
    read = api("GET", f"/things/{thing['id']}").json()
    assert (read["name"], read["description"]) == ("Chair 2", "set")
    assert thing["id"] in {t["id"] for t in api("GET", "/things").json()}
    assert api("DELETE", f"/things/{thing['id']}").status_code == 204
    assert thing["id"] not in {t["id"] for t in api("GET", "/things").json()}


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
    for client, thing_id in ((other_api, thing["id"]), (api, OTHER_THING)):
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
    assert prop["name"] == "Temperature"  # an empty name takes the type's
    assert [p["id"] for p in api("GET", base).json()] == [prop["id"]]
    patch = api("PATCH", f"{base}/{prop['id']}", json={"name": "Soil", "description": "d"})
    assert patch.status_code == 204
    assert api("GET", f"{base}/{prop['id']}").json()["name"] == "Soil"
    things = api("GET", "/things").json()
    listed = next(t for t in things if t["id"] == thing["id"])["properties"][0]
    assert "dimensions" not in listed["type"]
    assert api("DELETE", f"{base}/{prop['id']}").status_code == 204
    assert api("GET", base).json() == []


def test_create_property_errors(api, thing):
    base = f"/things/{thing['id']}/properties"
    missing = api("POST", base, json={"name": "x"})
    assert missing.status_code == 400 and missing.json()["hint"] == "Add field typeId."
    unknown = api("POST", base, json={"typeId": "NOPE"})
    assert unknown.status_code == 500
    assert unknown.json()["name"] == "EntityNotFound" and "hint" not in unknown.json()


def test_single_property_route_lists_dimensions_reversed(api, thing, accelerometer):
    """Only this route reverses; its order is the one a PUT row's cells follow."""
    one = api("GET", values_path(thing, accelerometer)).json()
    assert [d["name"] for d in one["type"]["dimensions"]] == ["z", "y", "x"]


def test_put_pairs_cells_with_the_listed_order_and_reads_reverse_it(api, thing, accelerometer):
    """After PUT [t, 1, 2, 3] the fields hold z=1, y=2, x=3 (by name through /last); a
    read lists z, y, x and gives value columns x, y, z."""
    path = values_path(thing, accelerometer)
    put = api("PUT", path, json={"values": [[1591868318000, 1, 2, 3]]})
    assert put.status_code == 200 and put.content == b""
    last = api("GET", path + "/last").json()
    assert last == [[1591868318000, accelerometer["id"], thing["id"], 3, 2, 1]]  # x, y, z
    read = api("GET", path, params={"from": 1591868318000, "to": 1591868318000}).json()
    assert [d["name"] for d in read["type"]["dimensions"]] == ["z", "y", "x"]
    assert read["values"] == [[1591868318000, 3, 2, 1]]  # columns x, y, z
    assert "values" not in api("GET", path, params={"from": 0}).json()


def test_csv_header_is_reversed_over_values_in_stored_order(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[1000, 1, 2.5, 3]]})
    response = api("GET", path, params={"from": 0, "to": 5000}, headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.text == "time,z,y,x\n1000,3,2.5,1\n"


def test_count_time_column_is_the_from_bound(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, 4, 5, 6]]})
    assert api("GET", path + "/count", params={"from": 0}).json() == [[0, 2, 2, 2]]
    # from is nanoseconds: 1.5e9 ns = 1500 ms, which is also the answer's time column
    assert api("GET", path + "/count", params={"from": 1_500_000_000}).json() == [[1500, 1, 1, 1]]


def test_grouped_count_lists_empty_intervals_with_zero(api, thing, accelerometer):
    import time

    path = values_path(thing, accelerometer)
    now = int(time.time() * 1000)
    api("PUT", path, json={"values": [[now - 1000, 1, 2, 3]]})
    since_ns = (now - 3 * 3_600_000) * 1_000_000
    rows = api("GET", path + "/count", params={"from": since_ns, "timeInterval": "1h"}).json()
    assert len(rows) in (3, 4)  # the hour holding `from` to the hour holding now
    assert [r[0] % 3_600_000 for r in rows] == [0] * len(rows)
    assert sum(r[1] for r in rows) == 1 and rows[-1][1:] == [1, 1, 1]
    assert all(r[1:] in ([0, 0, 0], [1, 1, 1]) for r in rows)


def test_put_same_timestamp_overwrites(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    for _ in range(2):
        api("PUT", path, json={"values": [[1000, 1, 2, 3]]})
    api("PUT", path, json={"values": [[1000, 7, 8, 9]]})
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[1000, 9, 8, 7]]


def test_wrong_length_rows_are_skipped_silently(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    response = api(
        "PUT", path, json={"values": [[1000, 1, 2], [2000, 1, 2, 3], [3000, 1, 2, 3, 4]]}
    )
    assert response.status_code == 200
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[2000, 3, 2, 1]]


def test_type_mismatch_refuses_the_whole_body(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    response = api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, "1", 2, 3]]})
    assert response.status_code == 404
    # cell 1 pairs with the first listed dimension: z
    assert response.json()["hint"] == "Mismatch type of value for dimension acceleration-z"
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == []


def test_mixed_type_property_takes_cells_in_the_listed_order(api, thing):
    """IP_ADDRESS is (string, number, string, number): rows in catalogue order are refused."""
    prop = api("POST", f"/things/{thing['id']}/properties", json={"typeId": "IP_ADDRESS"}).json()
    path = values_path(thing, prop)
    listed = api("GET", path).json()["type"]["dimensions"]
    assert [d["type"] for d in listed] == ["number", "string", "number", "string"]
    catalogue_order = api("PUT", path, json={"values": [[1000, "10.0.0.2", 4, "1.2.3.4", 4]]})
    assert catalogue_order.status_code == 404
    listed_order = api("PUT", path, json={"values": [[1000, 4, "1.2.3.4", 6, "10.0.0.2"]]})
    assert listed_order.status_code == 200
    last = api("GET", path + "/last").json()[0]
    names = sorted([d["name"] for d in listed] + ["propertyId", "thingId"])
    by_name = dict(zip(names, last[1:]))
    assert by_name["Local IP"] == "10.0.0.2" and by_name["Type Local IP"] == 6
    assert by_name["External IP"] == "1.2.3.4" and by_name["Type External IP"] == 4


def test_bad_bodies_answer_as_the_real_server(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    broken = api("PUT", path, data=b'{"values": [}', headers={"Content-Type": "application/json"})
    assert broken.status_code == 500 and broken.json()["name"] == "SyntaxError"
    assert "hint" not in broken.json()
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


def test_json_syntax_error_wording(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    broken = api("PUT", path, data=b'{"values": [}', headers={"Content-Type": "application/json"})
    assert broken.json()["message"] == "Unexpected token } in JSON at position 12"


def test_value_read_failures_are_the_real_404(api, thing, accelerometer):
    """A query InfluxDB refuses (HTTP 400) becomes the server's 404."""
    path = values_path(thing, accelerometer)
    for params in (
        {"from": "yesterday", "to": 10},
        {"from": 0, "to": 10, "timeInterval": "1m", "fctInterval": "mean", "fill": "abc"},
    ):
        response = api("GET", path, params=params)
        assert response.status_code == 404, params
        assert response.json()["hint"] == "Property not found in the thing."


def test_failed_aggregation_statements_read_as_no_values(api, thing, accelerometer):
    """A statement that fails inside InfluxDB's 200 answer reads as ``values: []``."""
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[0, 1, 1, 1], [1000, 3, 3, 3]]})
    for extra in ({}, {"fctInterval": "nope"}, {"fctInterval": "mean", "timeInterval": "zz"}):
        params = {"from": 0, "to": 10_000, "timeInterval": "1m", **extra}
        response = api("GET", path, params=params)
        assert response.status_code == 200 and response.json()["values"] == [], params
    params = {"from": 0, "to": 10_000, "timeInterval": "1m", "fctInterval": "mean", "fill": "null"}
    assert api("GET", path, params=params).json()["values"] == [[0, 2, 2, 2]]


def test_delete_timestamps(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[1000, 1, 2, 3], [2000, 4, 5, 6]]})
    missing = api("DELETE", path + "/timestamps", json={})
    assert missing.status_code == 400
    assert api("DELETE", path + "/timestamps", json={"timestamps": [1000]}).status_code == 204
    assert api("GET", path, params={"from": 0, "to": 5000}).json()["values"] == [[2000, 6, 5, 4]]


def test_aggregated_read(api, thing, accelerometer):
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[0, 1, 1, 1], [1000, 3, 3, 3], [60_000, 5, 5, 5]]})
    params = {"from": 0, "to": 119_999, "timeInterval": "1m", "fctInterval": "mean"}
    assert api("GET", path, params=params).json()["values"] == [[0, 2, 2, 2], [60_000, 5, 5, 5]]


def test_last_of_empty_property_is_500(api, thing, accelerometer):
    assert api("GET", values_path(thing, accelerometer) + "/last").status_code == 500


def test_things_count_gives_every_property_count(api, thing, accelerometer):
    api("PUT", values_path(thing, accelerometer), json={"values": [[1000, 1, 2, 3]]})
    things = api("GET", "/things/count", params={"from": 0}).json()
    prop = next(t for t in things if t["id"] == thing["id"])["properties"][0]
    assert prop["values"] == [[0, 1, 1, 1]]


def test_types_list_create_delete_without_owner_check(api, other_api):
    types = api("GET", "/types").json()
    assert isinstance(types, list) and len(types) >= 30
    assert "ACCELEROMETER" in {t["id"] for t in types}  # in no guaranteed order
    body = {
        "id": "CONTRACT_TEST_TYPE",
        "name": "Test",
        "description": "t",
        "dimensions": [{"id": "a", "name": "a", "description": "", "unit": "u", "type": "number"}],
    }
    created = api("POST", "/types", json=body)
    assert created.status_code == 200 and created.json()["id"] == "CONTRACT_TEST_TYPE"
    assert other_api("DELETE", "/types/CONTRACT_TEST_TYPE").status_code == 204  # anyone may
    assert api("DELETE", "/types/CONTRACT_TEST_TYPE").status_code == 404


def test_rate_limit_headers(server):
    first = Api(server.api_url, None)("GET", "/")
    limit = int(first.headers["RateLimit-Limit"])
    assert limit >= 1000  # both run with a high limit here; 429 is tested on a limited sandbox
    assert 0 <= int(first.headers["RateLimit-Remaining"]) < limit
    assert 0 <= int(first.headers["RateLimit-Reset"]) <= 60


def test_out_of_range_numbers_are_the_servers_own_answers(api, thing, accelerometer):
    """The review's shapes: no Python internals, the real server's answers."""
    path = values_path(thing, accelerometer)
    huge = api("GET", path, params={"from": 0, "to": "99999999999999999999999"})
    assert huge.status_code == 404
    assert huge.json()["hint"] == "Property not found in the thing."
    for stamp in (10**16, 10**20):  # beyond InfluxDB's int64 nanoseconds
        put = api("PUT", path, json={"values": [[stamp, 1, 2, 3]]})
        assert put.status_code == 500
        assert put.json()["hint"] == "Failed updating property values"


def test_too_many_buckets_and_unknown_fill_are_the_servers_own_answers(api, thing, accelerometer):
    """The review's shapes that grew the sandbox by 100 MB/s or hung. Both servers run
    InfluxDB's max-select-buckets at 1,000,000 (InfluxDB's default, no limit, made the real
    one take 3 GB and never answer for 2e7 buckets): over it, no values, before anything is
    allocated; an unknown fill is a refused query."""
    path = values_path(thing, accelerometer)
    api("PUT", path, json={"values": [[1_700_000_000_000, 1, 2, 3]]})
    around = {"from": 1_700_000_000_000 - 10**7, "to": 1_700_000_000_000 + 10**7}
    for fill in ("null", "linear", "none", "previous", "0"):
        params = {**around, "timeInterval": "1ms", "fctInterval": "mean", "fill": fill}
        answer = api("GET", path, params=params)
        assert answer.status_code == 200 and answer.json()["values"] == [], fill
    whole = {"from": 0, "to": 9_999_999_999_999, "timeInterval": "1ms", "fctInterval": "mean"}
    assert api("GET", path, params={**whole, "fill": "null"}).json()["values"] == []
    refused = api("GET", path, params={**whole, "fill": "abc"})
    assert refused.status_code == 404
    assert refused.json()["hint"] == "Property not found in the thing."
    counted = api("GET", path + "/count", params={"from": 0, "timeInterval": "1ms"})
    assert counted.status_code == 200 and counted.json() == []
    small = {"from": 1_700_000_000_000 - 1000, "to": 1_700_000_000_000 + 999}
    filled = api(
        "GET", path, params={**small, "timeInterval": "1ms", "fctInterval": "mean", "fill": "null"}
    )
    assert len(filled.json()["values"]) == 2000  # under the limit: every bucket, filled


def test_odd_json_types_in_a_thing_update_are_accepted_as_the_real_server_does(api, thing):
    for body in ({"pem": {"a": 1}}, {"name": "Renamed", "description": "d"}):
        assert api("PATCH", f"/things/{thing['id']}", json=body).status_code == 204


def test_a_type_posted_again_is_overwritten_and_a_digits_id_refused(api):
    """``POST /types`` saves: an id that exists is that type overwritten (200), for everyone;
    an id of the digits 1-9 only is refused, as the controller's own check says."""
    tag = uuid.uuid4().hex[:6].upper()
    dim = {
        "id": "ow" + tag.lower(),
        "name": "One",
        "description": "",
        "unit": "u",
        "type": "number",
    }
    first = {"id": "OVERWRITE" + tag, "name": "First", "description": "a", "dimensions": [dim]}
    assert api("POST", "/types", json=first).status_code == 200
    again = {**first, "name": "Second", "dimensions": [{**dim, "name": "Two"}]}
    answer = api("POST", "/types", json=again)
    assert answer.status_code == 200 and answer.json()["name"] == "Second"
    (stored,) = [t for t in api("GET", "/types").json() if t["id"] == first["id"]]
    assert stored["name"] == "Second" and [d["name"] for d in stored["dimensions"]] == ["Two"]
    refused = api("POST", "/types", json={**first, "id": "12345"})
    assert refused.status_code == 400
    assert refused.json()["hint"] == "Property Type IDs cannot start with a number."
    api("DELETE", f"/types/{first['id']}")
