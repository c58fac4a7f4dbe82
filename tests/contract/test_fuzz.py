"""Differential fuzzing, sandbox against the real Bucket server: the same generated
requests (schemathesis on the real server's OpenAPI document, bodies from Hypothesis) to
both, answer by answer. Bounded (25 requests per operation, about 15 s) and deterministic;
``python -m bench.fuzz_bench`` runs a longer one and prints JSON."""

from __future__ import annotations

import json

from conformance.fuzz import run

from .conftest import fuzz_pair


def test_the_sandbox_gives_only_answers_the_real_server_gives(real_bucket, contract_sandbox):
    sends, fixtures = fuzz_pair(contract_sandbox, real_bucket)
    report = run(sends[0], sends[1], fixtures, examples_per_operation=25)
    print(json.dumps(report.as_json(), indent=1))
    assert not report.real_crashed_on, report.as_json()
    assert report.requests >= 400
    assert report.differences == [], json.dumps(report.kinds(), indent=1)
