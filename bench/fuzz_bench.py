"""A longer differential fuzz (sandbox against the real Bucket server); prints JSON.

python -m bench.fuzz_bench [requests per operation, default 120]
"""

from __future__ import annotations

import json
import sys

from bucket_sandbox import start_sandbox
from conformance import start_real_bucket
from conformance.fuzz import run
from tests.contract.conftest import fuzz_pair


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    real = start_real_bucket(log=lambda _line: None)
    sandbox = start_sandbox(None, demo_data=False, rate_limit_per_minute=1_000_000)
    try:
        sends, fixtures = fuzz_pair(sandbox, real)
        report = run(sends[0], sends[1], fixtures, examples_per_operation=examples)
        print(
            json.dumps({"bench": "fuzz", "per_operation": examples, **report.as_json()}, indent=1)
        )
    finally:
        real.stop()
        sandbox.stop()


if __name__ == "__main__":
    main()
