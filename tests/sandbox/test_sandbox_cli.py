"""``python -m bucket_sandbox`` serves on the given port, with demo data, and logs no tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import requests

from ..app_server import ROOT, free_port


def test_cli_serves_and_keeps_tokens_out_of_its_log(tmp_path):
    port = free_port()
    log = tmp_path / "sandbox.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bucket_sandbox",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "s.db"),
                "--rate-limit",
                "500",
                "--token-ttl",
                "60",
                "--user",
                "kim@lab.example:pw-kim:Kim Lab",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}/bucket/api"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(base + "/", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            probe = requests.get(
                base + "/things", params={"authorization": "SECRET-TOKEN-TEXT"}, timeout=5
            )
            assert probe.status_code == 403 and probe.headers["RateLimit-Limit"] == "500"
            token = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bucket_sandbox",
                    "token",
                    "--user",
                    "demo@bucket.sandbox",
                    "--db",
                    str(tmp_path / "s.db"),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            things = requests.get(
                base + "/things", headers={"Authorization": "Bearer " + token}, timeout=5
            ).json()
            assert {t["name"] for t in things} == {
                "Wheelchair prototype",
                "Plant monitor",
                "Cargo bike tracker",
            }
            kim = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bucket_sandbox",
                    "token",
                    "--user",
                    "kim@lab.example",
                    "--db",
                    str(tmp_path / "s.db"),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            assert kim.returncode == 0 and kim.stdout.startswith("ory_at_"), kim.stderr
        finally:
            process.terminate()
            process.wait(10)
    assert "SECRET-TOKEN-TEXT" not in log.read_text() and token not in log.read_text()


def test_the_token_command_finds_the_apps_sandbox_and_leaves_its_sign_in_alone(browser, tmp_path):
    """As the README says it: ``python -m bucket_sandbox token --user ...`` in the project
    folder, the app running. The token reads the app's own data, and signing out and in
    again in the app still works (the command once re-registered the app's client without
    its loopback callbacks: sign-in refused, sign-out landed on JSON)."""
    from ..app_server import AppServer
    from ..browser import sign_in

    app = AppServer(tmp_path / "app")
    try:
        page = browser.new_context().new_page()
        sign_in(page, app.url)
        made = subprocess.run(
            [sys.executable, "-m", "bucket_sandbox", "token", "--user", "demo@bucket.sandbox"],
            cwd=ROOT,
            env={**os.environ, "BUCKET_DATA_DIR": str(app.data_dir)},
            capture_output=True,
            text=True,
        )
        assert made.returncode == 0, made.stderr
        things = requests.get(
            app.url + "/sandbox/bucket/api/things",
            headers={"Authorization": "Bearer " + made.stdout.strip()},
            timeout=10,
        ).json()
        assert "Plant monitor" in {t["name"] for t in things}

        page.get_by_role("button", name="Sign out").first.click()
        page.get_by_text("You are signed out").wait_for()
        sign_in(page, app.url)  # the app's client still takes its loopback callback

        refused = requests.get(
            app.url + "/sandbox/oauth2/sessions/logout",
            params={"post_logout_redirect_uri": "http://elsewhere.example/"},
            timeout=10,
        )
        assert refused.status_code == 200 and refused.headers["Content-Type"].startswith(
            "text/html"
        )
        assert "You are signed out of the Bucket sandbox" in refused.text
        assert "elsewhere.example" in refused.text and "Go back" in refused.text
        page.context.close()
    finally:
        app.stop()
    missing = subprocess.run(
        [sys.executable, "-m", "bucket_sandbox", "token", "--user", "demo@bucket.sandbox"],
        cwd=ROOT,
        env={**os.environ, "BUCKET_DATA_DIR": str(tmp_path / "nowhere")},
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "no sandbox database" in missing.stderr
