"""``python -m conformance``: run the real Bucket API here until Ctrl-C, for a developer.

Prints the API's URL, the stand-in provider's URL (sign in there, as with the sandbox)
and a token for the demo user. ``python -m conformance prepare`` only installs the npm
modules (CI does this before the tests).
"""

from __future__ import annotations

import signal
import sys
import threading

from bucket_sandbox.tokens import issue_token

from .real_bucket import DEMO_EMAIL, Unavailable, check_available, prepare, start_real_bucket


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["prepare"]:
            print(prepare(check_available()))
            return 0
        bucket = start_real_bucket()
    except Unavailable as error:
        print(f"real Bucket unavailable: {error}", file=sys.stderr)
        return 2
    token = issue_token(bucket.sandbox.app, DEMO_EMAIL)["access_token"]
    print(f"real Bucket API   {bucket.api_url}  (up in {bucket.start_seconds:.1f} s)")
    print(f"provider (sandbox) {bucket.sandbox.url}")
    print(f"demo token        {token}")
    print(f"logs              {bucket.workdir / 'logs'}")
    print("Ctrl-C stops everything.")
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        bucket.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
