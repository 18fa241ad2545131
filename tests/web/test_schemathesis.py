"""Property-based requests from the OpenAPI schema (schemathesis): no input makes the server fail.

Every operation in the app's own schema (API, feeds and pages) gets generated requests, valid and
invalid, called in-process over ASGI and checked for server errors and for responses that do not
match the declared models. Bounded: a few examples per operation, no per-example deadline, well
under a minute in all. Hypothesis drives each operation's strategy directly, because
``schemathesis.pytest.from_fixture`` does not work with pytest 9.
"""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def test_no_request_is_a_server_error(sample_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", sample_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        cases = strategies.one_of(*(operation.as_strategy(mode) for mode in MODES))

        @given(case=cases)
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        no_server_error()
