"""A phone as a live sensor, in Chromium, over https with a self-signed certificate (the
classroom set-up's own, ``dashboard/classroom.py``): the teacher (Amsterdam) makes a link on
"Phone as a sensor"; a phone (390x844, New York) opens it, taps Start, and moves: its motion
is emulated with the browser's own ``devicemotion`` events, at known values. What it sent is
what Bucket holds, read back through the API, in order and at each sample's own time; the
link writes only its properties; a second browser on Explore's Live view sees the samples
arrive; revoked, the phone is told and stops."""

from __future__ import annotations

import math
import re
import time
from dataclasses import replace

import pytest

from dashboard.classroom import make_certificate
from dashboard.hosting.file_store import FileStore
from dashboard.phone.grants import GrantStore

from ..app_server import AppServer, embedded_sandbox_client
from ..browser import PHONE_NEW_YORK, from_menu, open_thing, settle, sign_in

PHONE = {**PHONE_NEW_YORK, "ignore_https_errors": True}  # the classroom's own certificate
# devicemotion values a phone lying on a table, then tilted, would give (m/s², deg/s)
MOTIONS = [(0.1 * i, -0.2 + 0.05 * i, 9.81 - 0.1 * i, 10.0 * i, -5.0, 2.5 * i) for i in range(12)]

MOVE_JS = """async (motions) => {
  const times = [];
  window.addEventListener('devicemotion', (e) => {  // ours, not the browser's sensorless one
    const a = e.accelerationIncludingGravity;
    if (a && a.x !== null) times.push(Math.round(performance.timeOrigin + e.timeStamp));
  });
  for (const [x, y, z, alpha, beta, gamma] of motions) {
    window.dispatchEvent(new DeviceMotionEvent('devicemotion', {
      accelerationIncludingGravity: {x, y, z},
      rotationRate: {alpha, beta, gamma},
      interval: 16,
    }));
    await new Promise((r) => setTimeout(r, 130));
  }
  return times;
}"""


@pytest.fixture(scope="module")
def https_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("https-app")
    tls = make_certificate(folder / "tls", [], "localhost")
    server = AppServer(folder / "data", {"BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000"}, tls=tls)
    yield server
    server.stop()


def cookie_secret(data_dir) -> str:
    """The secret the app made for itself in its data folder (it encrypts the grants)."""
    return (data_dir / "cookie-secret").read_text().strip()


def number(page, label: str) -> int:
    text = page.locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]").inner_text()
    return int(text.split()[0])


def wait_for_count(page, label: str, wanted: int, timeout_s: float = 45) -> None:
    for _ in range(int(timeout_s * 4)):
        if number(page, label) >= wanted:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{label}: {number(page, label)} of {wanted}\n" + page.inner_text("body"))


def test_a_phone_streams_its_motion_over_https_and_the_class_sees_it(
    browser, https_app, monkeypatch
):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(https_app.tls[0]))  # the API read, below
    browser.allow(r"404 .*/phone/claim", "the same link on a second phone: refused, on purpose")
    browser.allow(r"403 .*/phone/samples", "samples for a property the link does not name")
    laptop = browser.new_context(
        viewport={"width": 1280, "height": 900},
        timezone_id="Europe/Amsterdam",
        ignore_https_errors=True,
    )
    teacher = laptop.new_page()
    sign_in(teacher, https_app.url)
    from_menu(teacher, "Phone as a sensor")
    teacher.get_by_text("phones streaming motion").wait_for()  # how many fit, said
    teacher.get_by_role("button", name="Make a link for a phone").click()
    shown = teacher.get_by_text(re.compile(r"^Or open: https://")).inner_text(timeout=30_000)
    link = shown.removeprefix("Or open: ")
    assert re.fullmatch(rf"{https_app.url}/phone#[A-Z2-9]{{10}}", link), link
    teacher.get_by_role("img", name="QR code of the link written below").wait_for()
    api = embedded_sandbox_client(https_app)
    phone_thing = next(t for t in api.list_things() if t.name == "Phone")
    props = {p.type.id: p for p in api.list_properties(phone_thing.id)}
    assert sorted(props) == ["ACCELEROMETER", "GYROSCOPE"]  # made on first use

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(link)
    page.get_by_text("Writes to Phone · Accelerometer, Phone · Gyroscope").wait_for()
    assert "#" not in page.url  # the code is off the address bar once used
    assert page.get_by_role("alert").filter(has_text="secure").count() == 0  # https: secure
    other_phone = browser.new_context(**PHONE)  # the same link on a second phone: refused
    second = other_phone.new_page()
    second.goto(link)
    second.get_by_text("this link does not work").wait_for()
    other_phone.close()
    page.get_by_role("button", name="Start").click()
    page.get_by_text("streaming").wait_for()
    times = page.evaluate(MOVE_JS, MOTIONS)
    wait_for_count(page, "Sent", 2 * len(MOTIONS))
    assert number(page, "Taken") == 2 * len(MOTIONS)
    page.get_by_role("button", name="Stop").click()

    # a second browser follows it live (what a class sees on the projector)
    viewer = browser.new_context(
        viewport={"width": 1280, "height": 900},
        timezone_id="Europe/Amsterdam",
        ignore_https_errors=True,
    )
    watching = viewer.new_page()
    sign_in(watching, https_app.url)
    acc = props["ACCELEROMETER"]
    watching.goto(f"{https_app.url}/explore?thing={acc.thing_id}&property={acc.id}")
    watching.get_by_text("Live", exact=True).click()
    watching.get_by_text("Following the phone").wait_for(timeout=30_000)
    watching.get_by_text(re.compile(r"^\d+ samples drawn as they arrived")).wait_for(timeout=30_000)
    # Live off: the chart drawn from Bucket again, and no error from the one removed
    watching.get_by_text("Live", exact=True).click()
    watching.get_by_text("Following the phone").wait_for(state="detached", timeout=30_000)
    watching.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    watching.set_viewport_size({"width": 1000, "height": 900})  # a resize after it
    settle(watching)

    wait_for_count(page, "Stored in Bucket", 2 * len(MOTIONS))  # within a flush or two
    stored = api.read_values(acc.thing_id, acc.id, times[0] - 1, times[-1] + 1)
    assert [int(t.value // 1_000_000) for t in stored.index] == times  # each sample's own time
    assert stored.values.tolist() == [list(m[:3]) for m in MOTIONS]  # exactly: JSON doubles
    gyro = api.read_values(acc.thing_id, props["GYROSCOPE"].id, times[0] - 1, times[-1] + 1)
    rad = math.pi / 180  # the page turns deg/s into GYROSCOPE's rad/s, as JavaScript does
    assert gyro.values.tolist() == [[m[4] * rad, m[5] * rad, m[3] * rad] for m in MOTIONS]

    # the link's key writes only its properties
    refused = page.evaluate(
        """async (t) => {
      const answer = await fetch('/phone/samples', {method: 'POST', headers: {
        'Content-Type': 'application/json', 'X-Phone-Key': localStorage.getItem('bucket-phone-key')},
        body: JSON.stringify({batch: 'x', samples: {LOCATION: [[t, 4.37, 52.01]]}})});
      return [answer.status, (await answer.json()).message];
    }""",
        times[-1] + 10,
    )
    assert refused == [403, "this link does not write LOCATION"]

    # revoked on the laptop: the phone is told, and cannot start again
    from_menu(teacher, "Phone as a sensor")
    teacher.get_by_role("button", name="Revoke").first.click()
    settle(teacher)
    page.get_by_text("This link has been revoked").wait_for(timeout=15_000)  # its next check
    assert page.get_by_role("button", name="Start").is_disabled()
    for context in (laptop, phone, viewer):
        context.close()


def test_over_plain_http_the_phone_page_says_why_it_cannot_sense(browser, zero_config_app):
    """Opened at a plain http address of another machine (a name mapped to this one, as a
    classroom's network would give): the page says why the phone will not sense."""
    from ..browser import CHROMIUM, FLAGS

    elsewhere = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*FLAGS, "--host-resolver-rules=MAP laptop.classroom.test 127.0.0.1"],
        headless=True,
    )
    page = elsewhere.new_context(**PHONE).new_page()
    page.goto(zero_config_app.url.replace("localhost", "laptop.classroom.test") + "/phone")
    page.get_by_text("browsers give sensors only to secure pages").wait_for(timeout=15_000)
    assert page.evaluate("window.isSecureContext") is False
    elsewhere.close()


def test_a_propertys_code_streams_location_into_that_property_alone(
    browser, https_app, monkeypatch
):
    """From a LOCATION property's card (Things, a laptop in Amsterdam): the phone (New York)
    is moved between two emulated positions; the network drops before the second is sent
    and the student leaves the page; back online, the page opened again sends it. Both
    fixes are stored in that property, in order, and the link writes nothing else."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(https_app.tls[0]))
    browser.allow(r"ERR_INTERNET_DISCONNECTED", "the phone's network drops, on purpose")
    browser.allow(r"403 .*/phone/samples", "samples for a property the link does not name")
    api = embedded_sandbox_client(https_app)
    bike = api.create_thing("Cargo bike", "Bike")
    track = api.create_property(bike.id, "Route", "LOCATION")
    laptop, teacher = open_thing(
        browser, https_app.url, bike, timezone_id="Europe/Amsterdam", ignore_https_errors=True
    )
    teacher.get_by_role("button", name="Phone", exact=True).first.click()
    teacher.get_by_role("button", name="Make a link for a phone").click()
    link = teacher.get_by_text(re.compile(r"^Or open: https://")).inner_text(timeout=30_000)

    started_ms = int(time.time() * 1000)  # a fix's own time: when the phone had it
    phone = browser.new_context(
        **PHONE, permissions=["geolocation"], geolocation={"latitude": 52.0, "longitude": 4.37}
    )
    page = phone.new_page()
    page.goto(link.removeprefix("Or open: "))
    page.get_by_text("Writes to Cargo bike · Route until").wait_for()
    page.get_by_role("button", name="Start").click()
    wait_for_count(page, "Sent", 1)
    phone.set_offline(True)  # the network drops: the next fix waits on the phone
    phone.set_geolocation({"latitude": 52.01, "longitude": 4.36})
    page.get_by_text("samples kept on this phone").wait_for(timeout=30_000)
    page.get_by_role("button", name="Stop").click()
    page.close()  # and the student leaves the page while offline
    phone.set_offline(False)
    page = phone.new_page()  # back later: what was kept is sent, nothing asked
    page.goto(link.removeprefix("Or open: ").split("#")[0])
    wait_for_count(page, "Sent", 2)
    wait_for_count(page, "Stored in Bucket", 2)
    stored = api.read_values(bike.id, track.id, 0, "2100-01-01")
    assert stored[["Longitude", "Latitude"]].values.tolist() == [[4.37, 52.0], [4.36, 52.01]]
    fixes = [int(t.value // 1_000_000) for t in stored.index]  # each fix at its own time
    assert started_ms <= fixes[0] < fixes[1] <= int(time.time() * 1000)
    refused = page.evaluate(
        """async () => {
      const answer = await fetch('/phone/samples', {method: 'POST', headers: {
        'Content-Type': 'application/json', 'X-Phone-Key': localStorage.getItem('bucket-phone-key')},
        body: JSON.stringify({batch: 'y', samples: {ACCELEROMETER: [[Date.now(), 1, 2, 3]]}})});
      return answer.status;
    }"""
    )
    assert refused == 403

    # half an hour later (the link's end, moved to now in the app's store): the phone is told
    grants = GrantStore(FileStore(https_app.data_dir), cookie_secret(https_app.data_dir))
    grant = grants.for_key(page.evaluate("localStorage.getItem('bucket-phone-key')"))
    grants.save(replace(grant, expires_ms=int(time.time() * 1000) - 1))
    page.get_by_text("This link has expired").wait_for(timeout=15_000)
    assert page.get_by_role("button", name="Start").is_disabled()
    laptop.close()
    phone.close()


def test_behind_nginx_with_a_certificate_the_phone_page_is_secure(
    browser, https_app, zero_config_app, tmp_path
):
    """The hosted recipe (``deploy/nginx.conf`` with ``deploy/tls.conf``, as
    compose.tls.yaml mounts it), with Debian's nginx: the phone's page over https is a
    secure context, so the phone will sense; the same app over nginx's plain http is not
    one from another machine (above)."""
    from ..hosting_tools import Nginx

    proxy = Nginx(tmp_path / "nginx", [zero_config_app.port], tls=https_app.tls)
    try:
        page = browser.new_context(**PHONE).new_page()
        page.goto(proxy.tls_url + "/phone")
        page.get_by_text("Scan the code shown on the laptop").wait_for(timeout=15_000)
        assert page.evaluate("window.isSecureContext") is True
        assert page.get_by_text("browsers give sensors only to secure pages").count() == 0
        page.context.close()
    finally:
        proxy.stop()
