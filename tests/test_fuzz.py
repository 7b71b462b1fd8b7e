"""A fuzz run against the OpenAPI document: no operation answers with a 5xx.

Schemathesis generates valid and invalid requests for every operation in
``/schema/openapi.json`` and sends them to the app in-process (ASGI), signed
in with a bearer token. Bad input must be a 4xx that says what is wrong; a
500 is always a bug.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.python import asgi as schemathesis_asgi

from tests.conftest import BASE_URL

HOST = BASE_URL.removeprefix("http://")


@pytest.fixture
def api_schema(app) -> Any:
    # The app's own Host, or the Host check (rightly) refuses schemathesis' "testserver".
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app, headers={"Host": HOST})
    yield schema
    # Schemathesis keeps the app's lifespan running for the whole session; end it
    # with the test, so its database and scrape workers do not outlive the home.
    schemathesis_asgi.shutdown_lifespans()


# Litestar documents a ServerSentEvent response as application/json, so the
# stream is also known by its path.
STREAMS = {"/api/v1/events"}


def streams_events(operation: Any) -> bool:
    responses = operation.definition.raw.get("responses", {})
    return operation.path in STREAMS or any(
        "text/event-stream" in (r.get("content") or {}) for r in responses.values())


def has_inputs(operation: Any) -> bool:
    return bool(operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody"))


def fuzz(operation: Any, mode: GenerationMode, secret: str) -> None:
    # The event stream never ends by itself: read what it sends in a moment, then hang up.
    timeout = 1 if streams_events(operation) else 60

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    def check(case: Any) -> None:
        response = case.call(base_url=BASE_URL, headers={"Authorization": f"Bearer {secret}"}, timeout=timeout)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}: {response.text[:300]}\n"
            f"{case.as_curl_command(base_url=BASE_URL)}")
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] and error["message"], response.text

    check()


# Generated requests per operation and mode: enough to find the usual 500s
# (bad types, huge numbers, odd strings) while the whole run stays well under a minute.
EXAMPLES = 25


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_operation_answers_with_a_server_error(api_schema, app, mode):
    failures, tested = [], []
    for result in api_schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"the OpenAPI document cannot be fuzzed: {result.err()}")
            continue
        operation = result.ok()
        tested.append(operation.label)
        try:
            fuzz(operation, mode, app.state.internal_secret)
        except Unsatisfiable:
            # No parameters and no body: nothing can be made invalid. Anything else is a failure.
            if mode is not GenerationMode.NEGATIVE or has_inputs(operation):
                failures.append(f"{operation.label}: no request could be generated")
        except Exception as exc:  # one operation's failure must not hide the others'
            failures.append(f"{operation.label}: {exc}")
    assert len(tested) >= 10, tested  # the whole API, not a document that lost its paths
    assert failures == [], "\n\n".join(failures)
