"""Critic configurations cannot point a worker's secrets at a server their author controls: the
form and the API refuse disallowed key variables and servers on their fields, and a row that got
past them anyway (written before the policy, or in the admin) is refused where the key is read."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from labeling.engine.registry import clear_backend_cache
from labeling.models import CriticConfig, CritiqueLabel
from labeling.services.processing import batch_process
from labeling.services.runs import run_create
from tests.conftest import logged_in
from tests.support.openai_server import run_openai_server

pytestmark = pytest.mark.django_db

DATABASE_SECRET = "postgres://postgres:hunter2@db.internal:5432/cai"


@pytest.fixture(autouse=True)
def empty_backend_cache():
    clear_backend_cache()
    yield
    clear_backend_cache()


def critic_form(**overrides) -> dict:
    return {
        "name": "vllm", "backend": "openai", "model": "llama", "base_url": "http://127.0.0.1:9/v1",
        "api_key_env": "CAI_CRITIC_KEY_VLLM", "max_new_tokens": 8, "temperature": 0, "top_p": 1,
        "batch_size": 8, "max_concurrency": 2, "timeout_s": 5, **overrides,
    }  # fmt: skip


def test_the_form_refuses_a_key_variable_outside_the_allow_list(researcher):
    response = logged_in(researcher).post(
        reverse("labeling:critic_create"), critic_form(api_key_env="DATABASE_URL")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "must start with CAI_CRITIC_KEY_" in " ".join(errors["api_key_env"])
    assert not CriticConfig.objects.exists()


def test_the_form_refuses_a_server_outside_the_allow_list(researcher):
    response = logged_in(researcher).post(
        reverse("labeling:critic_create"), critic_form(base_url="https://attacker.example/v1")
    )
    errors = response.context["form"].errors
    assert "https://attacker.example:443 is not on the allowed list" in " ".join(errors["base_url"])
    assert not CriticConfig.objects.exists()


def test_the_allow_list_is_a_setting(researcher, settings):
    settings.CAI_CRITIC_BASE_URLS = ["gpu-1.internal:8000"]
    settings.CAI_CRITIC_KEY_ENVS = ["OPENAI_API_KEY"]
    client = logged_in(researcher)
    refused = client.post(reverse("labeling:critic_create"), critic_form())  # 127.0.0.1 unlisted
    assert "base_url" in refused.context["form"].errors
    saved = client.post(
        reverse("labeling:critic_create"),
        critic_form(base_url="http://gpu-1.internal:8000/v1", api_key_env="OPENAI_API_KEY"),
    )
    assert saved.status_code == 302
    assert CriticConfig.objects.get().base_url == "http://gpu-1.internal:8000/v1"


def test_the_api_answers_with_field_errors(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    payload = {
        key: value
        for key, value in critic_form(
            api_key_env="SECRET_KEY", base_url="http://evil.test/v1"
        ).items()
    }
    response = client.post("/api/critics/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "must start with CAI_CRITIC_KEY_" in " ".join(body["api_key_env"])
    assert "not on the allowed list" in " ".join(body["base_url"])
    created = client.post("/api/critics/", critic_form(), format="json")
    assert created.status_code == 201
    patched = client.patch(
        f"/api/critics/{created.json()['id']}/", {"api_key_env": "DATABASE_URL"}, format="json"
    )
    assert patched.status_code == 400 and "api_key_env" in patched.json()
    assert CriticConfig.objects.get().api_key_env == "CAI_CRITIC_KEY_VLLM"


def test_a_row_naming_database_url_never_sends_it(published, singles, editor, monkeypatch):
    """The worker's path: a critic row that names DATABASE_URL fails its batch with a clear error
    and the server never hears from it."""
    monkeypatch.setenv("DATABASE_URL", DATABASE_SECRET)
    with run_openai_server() as server:
        critic = CriticConfig.objects.create(
            name="sneaky", backend="openai", model="m", base_url=server.base_url,
            api_key_env="DATABASE_URL", max_new_tokens=4, timeout_s=5,
        )  # fmt: skip
        run = run_create(
            actor=editor, constitution_version=published, item_set=singles, critic=critic,
            task="critique", selection="code", selection_value="HARM-01",
        )  # fmt: skip
        with pytest.raises(ValueError, match="DATABASE_URL is not allowed"):
            batch_process(batch_id=run.batches.first().pk)
        assert server.requests == 0
        assert not any(DATABASE_SECRET in str(headers) for headers in server.headers)


def test_a_row_with_a_disallowed_server_is_refused_at_run_time(
    published, singles, editor, settings, monkeypatch
):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "sk-test")
    with run_openai_server() as server:
        critic = CriticConfig.objects.create(
            name="elsewhere", backend="openai", model="m", base_url=server.base_url,
            api_key_env="CAI_CRITIC_KEY_TEST", max_new_tokens=4, timeout_s=5,
        )  # fmt: skip
        run = run_create(
            actor=editor, constitution_version=published, item_set=singles, critic=critic,
            task="critique", selection="code", selection_value="HARM-01",
        )  # fmt: skip
        settings.CAI_CRITIC_BASE_URLS = ["gpu-1"]  # the administrator narrowed the list
        with pytest.raises(ValueError, match="is not on the allowed list"):
            batch_process(batch_id=run.batches.first().pk)
        assert server.requests == 0


def test_an_allowed_server_labels_with_the_key_from_an_allowed_variable(
    published, singles, editor, monkeypatch
):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "sk-test")
    with run_openai_server() as server:
        critic = CriticConfig.objects.create(
            name="local vllm", backend="openai", model="m", base_url=server.base_url,
            api_key_env="CAI_CRITIC_KEY_TEST", max_new_tokens=4, timeout_s=5,
        )  # fmt: skip
        run = run_create(
            actor=editor, constitution_version=published, item_set=singles, critic=critic,
            task="critique", selection="code", selection_value="HARM-01",
        )  # fmt: skip
        for batch in run.batches.all():
            batch_process(batch_id=batch.pk)
        assert CritiqueLabel.objects.filter(run=run).count() == 3
        assert server.requests == 6  # a critique and a revision per item
        assert {headers["Authorization"] for headers in server.headers} == {"Bearer sk-test"}
