"""The classroom over a real network: the app (``python -m dashboard.classroom``) on a
"laptop" and a phone's Chromium in two network namespaces joined by a veth pair, as a
laptop and a phone share a room's Wi-Fi. The teacher opens the app at ``https://localhost``
on the laptop, makes a link; the phone, which cannot reach the laptop's localhost, opens the
link at the laptop's address over https, trusting exactly the classroom's certificate (as a
person does who checks the fingerprint read aloud), streams its motion, and what it sent is
stored, read back through the API by name on the laptop.

Network namespaces need root and iproute2: a run that cannot make them is skipped, outside
CI only."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..app_server import ROOT, free_port
from ..browser import CHROMIUM, FLAGS, PHONE_NEW_YORK, from_menu, sign_in
from ..phone_sensor.test_phone_sensor_browser import MOTIONS, MOVE_JS, number, wait_for_count

LAPTOP_ADDRESS, PHONE_ADDRESS = "10.77.0.1", "10.77.0.2"
# one room, one app; beside the widget-typing browser tests (conftest)
pytestmark = pytest.mark.xdist_group("network-layouts")


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def room():
    """Two namespaces on one link, each the other's router: ``(laptop, phone)`` names."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        reason = "network namespaces need root and iproute2 (apt-get install iproute2)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    tag = f"{os.getpid() % 100_000}"
    laptop, phone = f"bd-laptop-{tag}", f"bd-phone-{tag}"
    try:
        ip("netns", "add", laptop)
        ip("netns", "add", phone)
        ip("link", "add", f"bdl{tag}", "netns", laptop, "type", "veth", "peer", "name", f"bdp{tag}", "netns", phone)  # fmt: skip
        for ns, dev, mine, other in (
            (laptop, f"bdl{tag}", LAPTOP_ADDRESS, PHONE_ADDRESS),
            (phone, f"bdp{tag}", PHONE_ADDRESS, LAPTOP_ADDRESS),
        ):
            ip("-n", ns, "link", "set", "lo", "up")
            ip("-n", ns, "addr", "add", f"{mine}/24", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
            ip("-n", ns, "route", "add", "default", "via", other)
    except subprocess.CalledProcessError as error:
        for ns in (laptop, phone):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        reason = f"could not make network namespaces: {error.stderr.decode().strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield laptop, phone
    for ns in (laptop, phone):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def app_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OAUTH2_", "BUCKET_")) and not k.lower().endswith("_proxy")
    }
    env.update({"BUCKET_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    return env


def in_namespace(ns: str, code: str, env: dict[str, str], timeout: float = 60) -> str:
    """What Python printed, run in ``ns`` (the laptop's own view of its network)."""
    done = subprocess.run(
        ["ip", "netns", "exec", ns, sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def chromium_in(ns: str, folder: Path) -> str:
    """An executable that starts Debian's Chromium inside ``ns`` (Playwright talks to it
    through a pipe, which crosses namespaces)."""
    wrapper = folder / f"chromium-{ns}"
    wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {ns} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def spki_hash(cert_file: Path) -> str:
    """The certificate's public key as Chromium's ``--ignore-certificate-errors-spki-list``
    names it: the only certificate that browser then takes without a CA."""
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    der = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def start_classroom(ns: str, data_dir: Path) -> tuple[subprocess.Popen, int, str]:
    """``python -m dashboard.classroom`` in ``ns``, once it answers: ``(process, port,
    what it printed)``."""
    port = free_port()
    log = data_dir / "classroom.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                ns,
                sys.executable,
                "-m",
                "dashboard.classroom",
                "--port",
                str(port),
            ],  # fmt: skip
            cwd=ROOT,
            env={**app_env(data_dir), "BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait = (
        "import ssl, time, urllib.request\n"
        "context = ssl._create_unverified_context()\n"
        "for _ in range(600):\n"
        "    try:\n"
        f"        urllib.request.urlopen('https://127.0.0.1:{port}/_stcore/health', context=context, timeout=2)\n"  # fmt: skip
        "        break\n"
        "    except OSError:\n"
        "        time.sleep(0.1)\n"
        "else:\n"
        "    raise SystemExit('the app did not answer')\n"
    )
    try:
        in_namespace(ns, wait, app_env(data_dir), timeout=90)
    except AssertionError:
        process.terminate()
        raise AssertionError(log.read_text(errors="replace")) from None
    return process, port, log.read_text()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def classroom_app(room, tmp_path_factory):
    """The classroom command on the laptop: ``(url, printed, data_dir, port)``."""
    data_dir = tmp_path_factory.mktemp("classroom-laptop")
    process, port, printed = start_classroom(room[0], data_dir)
    yield f"https://localhost:{port}", printed, data_dir, port
    stop(process)


def test_a_phone_in_another_namespace_streams_to_the_laptops_address(
    browser, room, classroom_app, tmp_path
):
    laptop_ns, phone_ns = room
    url, printed, data_dir, port = classroom_app
    cert_file = data_dir / "classroom-tls" / "classroom.crt"
    # the laptop's own view: the address it prints is its own on the room's network, and
    # the certificate covers it
    assert f"phones reach it at   https://{LAPTOP_ADDRESS}:{port}" in printed, printed
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert LAPTOP_ADDRESS in {str(a) for a in names.get_values_for_type(x509.IPAddress)}

    playwright_chromium = browser.browser_type
    laptop_browser = playwright_chromium.launch(
        executable_path=chromium_in(laptop_ns, tmp_path), args=FLAGS, headless=True
    )
    teacher = laptop_browser.new_context(
        viewport={"width": 1280, "height": 900},
        timezone_id="Europe/Amsterdam",
        ignore_https_errors=True,  # the teacher's "Proceed" on the laptop
    ).new_page()
    sign_in(teacher, url)
    from_menu(teacher, "Phone as a sensor")
    teacher.get_by_role("button", name="Make a link for a phone").click()
    shown = teacher.get_by_text(re.compile(r"^Or open: https://")).inner_text(timeout=30_000)
    link = shown.removeprefix("Or open: ")
    assert re.fullmatch(rf"https://{LAPTOP_ADDRESS}:{port}/phone#[A-Z2-9]{{10}}", link), link
    assert teacher.get_by_text("cannot reach").count() == 0  # no warning: the link works

    phone_browser = playwright_chromium.launch(
        executable_path=chromium_in(phone_ns, tmp_path),
        args=[*FLAGS, f"--ignore-certificate-errors-spki-list={spki_hash(cert_file)}"],
        headless=True,
    )
    phone = phone_browser.new_context(**PHONE_NEW_YORK).new_page()
    phone.goto(link)
    phone.get_by_role("button", name="Start").wait_for(timeout=30_000)
    assert phone.evaluate("window.isSecureContext") is True  # https the browser trusts
    phone.get_by_role("button", name="Start").click()
    phone.get_by_text("streaming").wait_for()
    times = phone.evaluate(MOVE_JS, MOTIONS)
    wait_for_count(phone, "Sent", 2 * len(MOTIONS))
    wait_for_count(phone, "Stored in Bucket", 2 * len(MOTIONS))
    assert number(phone, "Taken") == 2 * len(MOTIONS)

    # read back by name through the API, on the laptop (the phone cannot reach it there)
    read = (
        "import json, sys\n"
        "from bucket_client import BucketClient\n"
        "from bucket_sandbox import create_app\n"
        "from bucket_sandbox.tokens import issue_token\n"
        f"sandbox = create_app({{'db_path': {str(data_dir / 'sandbox.db')!r}, 'demo_data': False, 'register_client': False}})\n"  # fmt: skip
        f"api = BucketClient('https://localhost:{port}/sandbox/bucket/api', issue_token(sandbox, 'demo@bucket.sandbox'))\n"  # fmt: skip
        "thing = next(t for t in api.list_things() if t.name == 'Phone')\n"
        "acc = next(p for p in api.list_properties(thing.id) if p.type.id == 'ACCELEROMETER')\n"
        f"stored = api.read_values(thing.id, acc.id, {times[0] - 1}, {times[-1] + 1})\n"
        "print(json.dumps([[int(t.value // 1_000_000) for t in stored.index], stored.values.tolist()]))\n"  # fmt: skip
    )
    env = {**app_env(data_dir), "REQUESTS_CA_BUNDLE": str(cert_file)}
    stored_times, stored_values = json.loads(in_namespace(laptop_ns, read, env))
    assert stored_times == times
    assert stored_values == [list(m[:3]) for m in MOTIONS]
    laptop_browser.close()
    phone_browser.close()


def test_the_phone_cannot_reach_the_laptops_localhost(room, classroom_app):
    """What made the old links useless: from the phone, localhost is the phone itself."""
    _laptop, phone_ns = room
    _url, _printed, data_dir, port = classroom_app
    probe = (
        "import socket\n"
        "for host in ('127.0.0.1', '10.77.0.1'):\n"
        "    try:\n"
        f"        socket.create_connection((host, {port}), timeout=3).close(); print(host, 'open')\n"  # fmt: skip
        "    except OSError:\n"
        "        print(host, 'refused')\n"
    )
    said = in_namespace(phone_ns, probe, app_env(data_dir))
    assert said.split("\n")[:2] == ["127.0.0.1 refused", "10.77.0.1 open"]


def test_a_laptop_with_no_network_says_so(browser, tmp_path):
    """A laptop with no network address (only loopback): the command says phones cannot
    reach it and what to do, and runs for the laptop alone; the link made there says so."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("network namespaces need root and iproute2")
    ns = f"bd-alone-{os.getpid() % 100_000}"
    ip("netns", "add", ns)
    try:
        ip("-n", ns, "link", "set", "lo", "up")
        process, port, printed = start_classroom(ns, tmp_path)
        try:
            assert "No network address found: phones cannot reach this laptop" in printed
            assert "phones reach it at" not in printed
            alone = browser.browser_type.launch(
                executable_path=chromium_in(ns, tmp_path), args=FLAGS, headless=True
            )
            page = alone.new_context(
                timezone_id="Europe/Amsterdam", ignore_https_errors=True
            ).new_page()
            sign_in(page, f"https://localhost:{port}")
            from_menu(page, "Phone as a sensor")
            page.get_by_role("button", name="Make a link for a phone").click()
            page.get_by_text("This laptop has no network address: no phone can reach it").wait_for()
            alone.close()
        finally:
            stop(process)
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
