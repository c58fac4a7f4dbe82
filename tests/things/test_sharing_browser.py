"""Sharing in Chromium, as a team does it: the demo user (Amsterdam) shares a property with
the demo class (a group both demo users are in) from its card; what the page lists is what
Bucket stores (read by the API); Alex (on a phone in New York) finds it under "Shared
with me" and sees in Explore the values the owner's API read gives, beside a property of his
own (a teacher overlays a team's sensor on theirs); a share with a person says plainly what
Bucket will not do; revoked, it is gone on Alex's next load; made again, who has access is
listed in the same order (groups, who can read, first)."""

from __future__ import annotations

import re
import time

from bucket_client import BucketClient, sharing
from bucket_sandbox.demo import DEMO_GROUP
from bucket_sandbox.users import person_id
from dashboard.shared.text import WORD_JOINER

from ..app_server import embedded_sandbox_client
from ..browser import choose, from_menu, open_thing, settle, signed_in

ALEX = ("alex@bucket.sandbox", "alex-password")


def owner_client(app) -> BucketClient:
    return embedded_sandbox_client(app)


def wait_for_text(page, text: str, timeout: float = 30_000) -> None:
    """Wait for ``text``; failing, say what the page said instead."""
    try:
        page.get_by_text(text).first.wait_for(timeout=timeout)
    except Exception as error:
        raise AssertionError(page.inner_text("body")[-2500:]) from error


def test_a_team_shares_through_the_class_and_revokes(browser, zero_config_app):
    owner = owner_client(zero_config_app)
    thing = owner.create_thing("Team rig <b>2</b>", "Logger")
    prop = owner.create_property(thing.id, "Hall temp", "TEMPERATURE")
    start = (time.time_ns() // 1_000_000 // 60_000 - 60) * 60_000  # the last hour: Explore's 24 h
    owner.write_values(thing.id, prop.id, [[start + i * 60_000, 18 + i / 4] for i in range(40)])
    stored = owner.read_values(thing.id, prop.id, 0, "2100-01-01")

    demo, page = open_thing(browser, zero_config_app.url, thing, timezone_id="Europe/Amsterdam")
    page.get_by_role("button", name="Share", exact=True).first.click()
    page.get_by_text("Not shared: only you can see it.").wait_for()
    page.get_by_role("textbox", name="Group id").fill(DEMO_GROUP)
    page.keyboard.press("Enter")  # Enter shares: said, and the field emptied
    wait_for_text(page, f"{DEMO_GROUP} · group, can read")
    said = page.get_by_text(re.compile(r"^Shared: .* can read its values\.$")).inner_text()
    assert said.replace(WORD_JOINER, "") == f"Shared: {DEMO_GROUP} can read its values."
    assert page.get_by_role("textbox", name="Group id").input_value() == ""
    page.get_by_role("textbox", name="Group id").fill(DEMO_GROUP)  # and the button after it
    page.get_by_role("button", name="Share, read only").click()
    page.get_by_text(re.compile(r"^Already shared with .*: nothing changed\.$")).wait_for()
    consents = sharing.consents(owner, thing.id, prop.id)  # by the API: one grant
    assert [c.subjects for c in consents] == [(DEMO_GROUP,)]
    assert page.get_by_role("button", name="Revoke").count() == 1

    # a person: what Bucket will not do is said before and after
    page.get_by_text("A person").click()
    page.get_by_text("does not let them read its values").wait_for()
    page.get_by_role("textbox", name="Person id").fill("alex@bucket.sandbox")
    page.get_by_role("button", name="Share with this person (listed only)").click()
    page.get_by_text("Bucket cannot find a person by e-mail").wait_for()  # nothing sent
    assert len(sharing.consents(owner, thing.id, prop.id)) == 1
    page.get_by_role("textbox", name="Person id").fill(person_id(ALEX[0]))
    page.get_by_role("button", name="Share with this person (listed only)").click()
    page.get_by_text("listed only: Bucket does not open the values to a person").wait_for(
        timeout=30_000
    )

    his_own = embedded_sandbox_client(zero_config_app, ALEX[0])
    bench = his_own.create_thing("Alex bench", "Logger")
    desk = his_own.create_property(bench.id, "Desk temp", "TEMPERATURE")
    his_own.write_values(bench.id, desk.id, [[start + i * 60_000, 30.5 + i] for i in range(3)])

    alex = browser.new_context(  # on his phone, in New York
        viewport={"width": 390, "height": 844}, timezone_id="America/New_York", is_mobile=True
    )
    his = alex.new_page()
    signed_in(his, zero_config_app.url, "", *ALEX)
    from_menu(his, "Shared with me")
    his.get_by_text("Team rig <b>2</b> · Hall temp").wait_for(timeout=30_000)
    his.get_by_text(f"Shared through the group {DEMO_GROUP}").wait_for()
    his.get_by_text(re.compile(r"^Owner: Demo Designer \(dcd:persons:")).wait_for()  # not an id
    his.get_by_text("40 data points").wait_for()
    his.get_by_role("main").get_by_role("link", name="Explore").click()  # the card's
    try:
        his.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    except Exception as error:
        raise AssertionError(his.inner_text("body")[-2500:]) from error
    settle(his)
    his.get_by_text("Team rig <b>2</b> · Hall temp (shared)").first.wait_for()
    table = his.get_by_role("table").first.inner_text()
    assert (
        f"{stored['Temperature'].max():g}" in table and f"{stored['Temperature'].min():g}" in table
    )
    choose(his, "Properties", "Alex bench · Desk temp")  # his own, drawn beside the team's
    his.keyboard.press("Escape")
    wait_for_text(his, "3 points, all shown")  # his property's statistics, under the team's
    legend = his.locator(".js-plotly-plot .legendtext").all_text_contents()  # the chart's
    assert legend == [
        "Team rig <b>2</b> · Hall temp (shared) · Temperature",
        "Alex bench · Desk temp · Temperature",
    ], legend

    # revoked: gone from Alex's list on his next load
    page.get_by_role("button", name="Revoke").first.click()
    settle(page)
    assert [c.subjects for c in sharing.consents(owner, thing.id, prop.id)] == [
        (person_id(ALEX[0]),)
    ]
    from_menu(his, "Shared with me")
    his.get_by_text("Team rig <b>2</b> · Hall temp").wait_for(timeout=30_000)
    his.get_by_text("listed only: shared with you as a person").wait_for()
    assert his.get_by_role("main").get_by_role("link", name="Explore").count() == 0

    # shared again: Bucket now answers the person's consent first; the page still lists the
    # group (who can read) first
    page.get_by_text("A group (can read the values)").click()
    page.get_by_role("textbox", name="Group id").fill(DEMO_GROUP)
    page.get_by_role("button", name="Share, read only").click()
    wait_for_text(page, f"{DEMO_GROUP} · group, can read")
    by_api = [c.subjects for c in sharing.consents(owner, thing.id, prop.id)]
    assert by_api == [(person_id(ALEX[0]),), (DEMO_GROUP,)], by_api
    listed = page.get_by_text(" · group, can read").or_(page.get_by_text(" · listed only"))
    assert [t.split(" · ")[0] for t in listed.all_inner_texts()] == [
        DEMO_GROUP,
        person_id(ALEX[0]),
    ]
    alex.close()
    demo.close()


def test_shared_with_me_on_a_phone_when_nothing_is_shared(browser, zero_config_app):
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, timezone_id="America/New_York", is_mobile=True
    )
    page = phone.new_page()
    signed_in(page, zero_config_app.url, "/shared", "alex@bucket.sandbox", "alex-password")
    page.get_by_role("heading", name="Shared with me").wait_for()
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
