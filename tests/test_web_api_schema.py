"""The REST API against its own OpenAPI document: schemathesis-generated requests to every operation never get a 5xx.

The app runs in-process (ASGI) over the real store of the samples and the hostile article. Each
operation gets valid and invalid requests generated from the document, plus valid ones naming a
real article, actor and place (random ids only ever reach the 404 path); the examples per
operation are bounded so the module stays well under a minute, and POST /api/analyze, which runs
spaCy on each example, gets only a few.
"""

from __future__ import annotations

import dataclasses

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from presslens.settings import load_settings
from presslens.web.app import create_app

from .web_support import seed_id, web_app, web_db  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from fastapi import FastAPI
    from schemathesis import APIOperation

    from presslens.pipeline import Pipeline

# The operations the REST API promises (issue 14); more may exist.
REQUIRED = {
    ("get", "/api/articles"),
    ("get", "/api/articles/{article_id}"),
    ("get", "/api/actors/{actor_id}"),
    ("get", "/api/events"),
    ("post", "/api/analyze"),
    ("get", "/api/sql"),
}
EXAMPLES = 12  # per operation and per kind (valid, invalid, real ids)
ANALYZE_EXAMPLES = 3  # POST /api/analyze runs spaCy on each
# The document does not depend on the store, so it is read at collection from an app over no store yet;
# every case is then sent to the `api` fixture's app (schemathesis's lazy fixture loader fails under pytest 9).
# schemathesis's ASGI client addresses its requests to "testserver": the app allows that name too.
_DEFAULT = load_settings()
SETTINGS = dataclasses.replace(_DEFAULT, web=_DEFAULT.web.model_copy(update={"allowed_hosts": [*_DEFAULT.web.allowed_hosts, "testserver"]}))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app("not-opened.duckdb", SETTINGS))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def api(web_db: Path, pipeline: Pipeline) -> FastAPI:
    """The app over the store; analyses use the session pipeline."""
    return web_app(web_db, SETTINGS, pipeline=pipeline)


@pytest.fixture(scope="module")
def real_ids(api: FastAPI, seed_id: str) -> dict[str, str]:
    """Path parameters naming what the store holds: the seed article, its first actor and place."""
    record = api.state.reader.record(seed_id)
    return {"article_id": seed_id, "actor_id": record.actors[0].id, "place_id": record.places[0].id}


def test_web_api_schema_lists_the_promised_operations(api: FastAPI) -> None:
    document = api.openapi()
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert REQUIRED <= operations, REQUIRED - operations
    assert all(path.startswith("/api/") for _, path in operations), operations  # the HTML pages stay out of the API
    for method, path in REQUIRED:
        assert document["paths"][path][method].get("description"), (method, path)
    assert {(op.method, op.path) for op in OPERATIONS} == operations  # the document read at collection is the app's


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_web_api_schema_no_server_error(operation: APIOperation, api: FastAPI, real_ids: dict[str, str], seed_text: str) -> None:
    """Generated requests (valid, invalid, and valid with real ids or a real article) get no 5xx: every failure is a coded 4xx."""
    kinds = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    names = {p.name for p in operation.path_parameters}
    if names & real_ids.keys():
        kinds.append(operation.as_strategy(path_parameters={n: real_ids[n] for n in names & real_ids.keys()}))
    analyze = (operation.method, operation.path) == ("post", "/api/analyze")
    if analyze:  # generated texts are all too short or not English: this one is analyzed
        kinds.append(operation.as_strategy(body={"text": seed_text}))
    examples = ANALYZE_EXAMPLES if analyze else EXAMPLES

    @given(case=st.one_of(kinds))
    @settings(max_examples=examples * len(kinds), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(app=api, checks=[not_a_server_error])
        statuses.add(response.status_code)

    statuses: set[int] = set()
    check()
    if names & real_ids.keys() or analyze:
        assert 200 in statuses, statuses  # the real ids and the real article were found
