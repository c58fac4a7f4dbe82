"""AppTest of the Things page against a live sandbox (configured mode, preset session)."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from bucket_client import BucketClient, Forbidden
from bucket_sandbox.tokens import issue_token
from dashboard.shared import data

from ..app.test_app_gate import HOME, app_env, configured  # noqa: F401 (fixture)
from ..client.test_client import settings_for
from ..conftest import DEMO_EMAIL


@pytest.fixture
def page(app_env, sandbox):  # noqa: F811
    """The app signed in as the demo user, on the Things page."""
    configured(app_env, sandbox)
    token = issue_token(sandbox.app, DEMO_EMAIL)
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["auth"] = {
        "sid": None,
        "token": token,
        "user": {"name": "Demo Designer", "email": DEMO_EMAIL, "sub": "demo-" + uuid.uuid4().hex},
    }
    at.run()
    assert not at.exception, at.exception
    at.direct = BucketClient(token=token, settings=settings_for(sandbox))
    return at


def by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def create(at, name, kind="Test", description="") -> AppTest:
    by_label(at.text_input, "Name").input(name)
    by_label(at.text_input, "Type").input(kind)
    by_label(at.text_area, "Description").input(description)
    next(b for b in at.button if b.label == "Create thing").click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_create_appears_and_opens(page):
    name = "Lamp " + uuid.uuid4().hex[:6]
    create(page, name, "Desk lamp", "on my desk")
    assert page.title[0].value == name
    thing_id = page.query_params["thing"]
    thing_id = thing_id if isinstance(thing_id, str) else thing_id[0]
    thing = page.direct.get_thing(thing_id)
    assert (thing.name, thing.description) == (name, "on my desk")


def test_empty_name_is_refused(page):
    before = len(page.direct.list_things())
    create(page, "   ")
    assert any("Give the thing a name" in e.value for e in page.error)
    assert len(page.direct.list_things()) == before


def test_html_in_a_name_stays_text(page):
    name = "<b>bold</b><script>alert(1)</script>"
    create(page, name)
    title = page.title[0].value
    assert "<b>" not in title and "<script>" not in title
    assert "\\<b\\>bold" in title  # escaped, shown as typed


def test_edit_then_delete_with_confirmation(page):
    thing = page.direct.create_thing("Old name " + uuid.uuid4().hex[:6], "x")
    prop = page.direct.create_property(thing.id, "acc", "ACCELEROMETER")
    page.direct.write_values(thing.id, prop.id, [[1000, 1, 2, 3]])
    cold_cache(page)  # made outside the app: skip the 30 s cache
    page.query_params["thing"] = thing.id
    page.run()
    assert page.title[0].value == thing.name
    assert any("1 data point" in c.value for c in page.caption), (
        [c.value for c in page.caption] + [str(page.exception)] + [e.value for e in page.error]
    )
    by_label(page.text_input, "Name").set_value("New name")
    button(page, "Save").click()
    page.run()
    assert page.title[0].value == "New name"
    delete = button(page, "Delete thing")
    assert delete.disabled  # confirmation required
    assert any("1 property and 1 data point" in w.value for w in page.warning)
    by_label(page.text_input, "Type the thing's name to confirm").input("New name")
    page.run()
    button(page, "Delete thing").click()
    page.run()
    assert not page.exception
    assert page.title[0].value == "Things"
    assert thing.id not in [t.id for t in page.direct.list_things()]
    assert page.direct.list_properties(thing.id) == []  # its properties went with it
    with pytest.raises(Forbidden):
        page.direct.list_properties("dcd:things:" + str(uuid.uuid4()))


def test_create_property_with_type_preview(page):
    thing = page.direct.create_thing("Props " + uuid.uuid4().hex[:6], "x")
    page.query_params["thing"] = thing.id
    page.run()
    picker = next(s for s in page.selectbox if s.label.startswith("Type"))
    picker.set_value("ACCELEROMETER")
    page.run()
    preview = page.table[-1].value
    assert list(preview.index) == ["x", "y", "z"] and set(preview["Unit"]) == {"m/s²"}
    by_label(page.text_input, "Property name").input("Frame")
    button(page, "Create property").click()
    page.run()
    assert not page.exception
    assert [p.name for p in page.direct.list_properties(thing.id)] == ["Frame"]
    assert any("Frame" in m.value for m in page.markdown)


def cold_cache(page) -> None:
    """As if this user had changed something elsewhere: their cached lists are stale."""
    auth = page.session_state["auth"]
    data.changed_for(str((auth.get("user") or {}).get("sub") or auth.get("sid")))


def test_requests_per_page_view(page, sandbox):
    """The numbers docs/code.md states: a cold list view costs one request."""
    client = page.session_state["bucket_client"]
    cold_cache(page)  # cold cache for this user
    before = client.transport.requests_sent
    page.run()
    assert client.transport.requests_sent - before == 1


def test_requests_for_a_thing_view(page):
    """A thing with two properties holding data: thing + counts + one /last per property,
    and a read by name for the one whose measurement holds an earlier field (TEMPERATURE's
    "Kelvin", as on a Bucket with history): its /last answer cannot be read by position."""
    thing = page.direct.create_thing("Budget " + uuid.uuid4().hex[:6], "x")
    for type_id in ("TEMPERATURE", "LIGHT"):
        prop = page.direct.create_property(thing.id, type_id.title(), type_id)
        page.direct.write_values(thing.id, prop.id, [[1000, 1.0]])
    page.query_params["thing"] = thing.id
    cold_cache(page)
    page.run()
    client = page.session_state["bucket_client"]
    cold_cache(page)  # cold cache again, types list still cached
    before = client.transport.requests_sent
    page.run()
    assert not page.exception
    # GET thing, /things/count, 2 x /last, 1 read of TEMPERATURE's newest value by name
    assert client.transport.requests_sent - before == 5
    before = client.transport.requests_sent
    page.run()  # a rerun within 30 s costs nothing
    assert client.transport.requests_sent == before


def test_edit_and_delete_a_property_with_confirmation(page):
    thing = page.direct.create_thing("Props edit " + uuid.uuid4().hex[:6], "x")
    prop = page.direct.create_property(thing.id, "Soil", "TEMPERATURE")
    page.direct.write_values(thing.id, prop.id, [[1000, 20.5], [2000, 21.0]])
    cold_cache(page)
    page.query_params["thing"] = thing.id
    page.run()
    names = [t for t in page.text_input if t.label == "Name"]
    names[-1].set_value("Soil probe")  # the property's edit form comes after the thing's
    [b for b in page.button if b.label == "Save"][-1].click()
    page.run()
    assert page.direct.get_property(thing.id, prop.id).name == "Soil probe"
    delete = button(page, "Delete property")
    assert delete.disabled
    assert any("2 data points" in m.value for m in page.markdown)
    next(c for c in page.checkbox if c.label == "Yes, delete it for good").check()
    page.run()
    button(page, "Delete property").click()
    page.run()
    assert not page.exception
    assert page.direct.list_properties(thing.id) == []
