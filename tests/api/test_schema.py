"""The API keeps the promises of its own OpenAPI schema: schemathesis generates requests from
/api/schema/ (fetched through the app, logged in) and calls every operation as a staff admin
with a token."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from constitutions.models import Constitution, ConstitutionVersion, Principle, ReleaseTag
from labeling.models import CriticConfig, CritiqueLabel, Item, ItemSet, LabelingRun, PreferenceLabel
from redteam.models import Run as RedteamRun
from redteam.models import Suite
from reviews.models import Adjudication, GoldLabel, ReviewQueue, ReviewSample
from training.models import DatasetSnapshot, TrainingJob

# Path prefix -> the model whose ids its {id} takes: half the generated requests use a real id,
# so serializers run on real rows, not only on 404s.
RESOURCES = {
    "/api/constitutions/": Constitution, "/api/versions/": ConstitutionVersion,
    "/api/principles/": Principle, "/api/release-tags/": ReleaseTag,
    "/api/item-sets/": ItemSet, "/api/items/": Item, "/api/critics/": CriticConfig,
    "/api/runs/": LabelingRun, "/api/critique-labels/": CritiqueLabel,
    "/api/preference-labels/": PreferenceLabel, "/api/samples/": ReviewSample,
    "/api/queues/": ReviewQueue, "/api/adjudications/": Adjudication,
    "/api/gold-labels/": GoldLabel, "/api/snapshots/": DatasetSnapshot,
    "/api/training-jobs/": TrainingJob, "/api/redteam-suites/": Suite,
    "/api/redteam-runs/": RedteamRun,
}  # fmt: skip


@pytest.fixture
def api_schema(api_world, admin):
    client = Client()
    client.force_login(admin)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def in_process_requests():
    """Requests run in the test's transaction: the app must not close the connection between
    them (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def node_id_for_schemathesis(request):
    """schemathesis 4.32 names each operation's subtest through `node._nodeid`, which pytest 9
    no longer has (it keeps the id in `node._id`): give it the attribute it reads."""
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


def real_id(path: str) -> list[int]:
    for prefix, model in RESOURCES.items():
        if path.startswith(prefix + "{"):
            return list(model.objects.order_by("pk").values_list("pk", flat=True)[:5])
    return []


def errors_are_json(ctx, response, case) -> None:
    """Every error the API answers is JSON with a message (DRF's field errors, or `detail`)."""
    if response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
            f"{response.status_code} answered as {response.headers.get('content-type')}"
        )
        assert response.json(), "an error with an empty body"


CHECKS = [not_a_server_error, response_schema_conformance, errors_are_json]


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=12, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_every_api_operation_keeps_to_its_schema(
    case, data, admin_token, in_process_requests, node_id_for_schemathesis
):
    """Generated requests, valid and not, to every operation: no server error, every answer as
    the schema describes it, every error as JSON. Each runs in a savepoint that is rolled back,
    so every request meets the same world."""
    ids = real_id(case.operation.path)
    if ids and "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
        case.path_parameters["id"] = data.draw(st.sampled_from(ids))
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {admin_token}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)


# The other path parameters and the required query parameters, with real values.
PATH_EXTRAS = {
    "/api/snapshots/{id}/files/{name}/": {"name": "manifest.json"},
    "/api/training-jobs/{id}/files/{name}/": {"name": "metrics.json"},
    "/api/agreement/principles/{code}/": {"code": "HARM-01"},
}


def real_query(operation) -> dict:
    if operation.path == "/api/versions/{id}/diff/":
        return {"against": ConstitutionVersion.objects.order_by("pk").first().pk}
    return {}


def real_paths(operation) -> list[dict]:
    """Path parameters that name real rows (every row of the world, up to five a kind)."""
    extras = PATH_EXTRAS.get(operation.path, {})
    if "{id}" not in operation.path:
        return [extras]
    return [{"id": pk, **extras} for pk in real_id(operation.path)]


def test_every_read_of_real_rows_matches_the_schema(api_schema, admin_token, in_process_requests):
    """Every GET, on every row of the world: the serializers' output is what the schema says
    (the fuzz test mostly meets 404s for ids)."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        for path_parameters in real_paths(operation):
            case = operation.Case(path_parameters=path_parameters, query=real_query(operation))
            with transaction.atomic():
                response = case.call(headers={"Authorization": f"Token {admin_token}"})
                transaction.set_rollback(True)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as found:  # collect them all, then report
                failures.extend(f"GET {case.formatted_path}: {f}" for f in found.exceptions)
    assert not failures, "\n\n".join(failures)
