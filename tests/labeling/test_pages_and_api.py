import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from labeling.models import CriticConfig, ItemSet, LabelingRun, PreferenceLabel
from labeling.services.processing import batch_process
from labeling.services.runs import run_create
from tests.conftest import logged_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher_client(researcher):
    return logged_in(researcher)


@pytest.fixture
def critique_run(published, singles, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=singles, critic=tiny_critic,
        task="critique", selection="code", selection_value="HARM-01",
    )  # fmt: skip
    for batch in run.batches.all():
        batch_process(batch_id=batch.pk)
    return run


def test_model_output_and_imported_text_render_as_text(critique_run, editor_client):
    item = critique_run.item_set.items.get(line=2)  # its response holds a <script> tag
    label = item.critiques.get()
    label.critique = "<script>alert('critique')</script>"
    label.save(update_fields=["critique"])
    for url in (
        reverse("labeling:item", args=[item.pk]),
        reverse("labeling:run", args=[critique_run.pk]),
        reverse("labeling:item_set", args=[item.item_set_id]),
    ):
        body = editor_client.get(url).content.decode()
        assert "<script>alert" not in body, url
    body = editor_client.get(reverse("labeling:item", args=[item.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;critique&#x27;)&lt;/script&gt;" in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; knock knock" in body
    assert "Content warning" in body


def test_item_page_shows_both_orders_and_the_principle(
    published, pairs, tiny_critic, editor, editor_client
):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-02", item_limit=1,
    )  # fmt: skip
    batch_process(batch_id=run.batches.get().pk)
    label = PreferenceLabel.objects.get(run=run)
    body = editor_client.get(reverse("labeling:item", args=[label.item_id])).content.decode()
    for value in (label.p_a_first, label.p_a_second, label.p_a):
        assert f"{value:.3f}" in body
    assert "Identify how the response breaks HARM-02." in body  # the principle text used


def test_progress_partial_polls_until_the_run_is_done(
    published, pairs, tiny_critic, editor, editor_client
):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=4,
    )  # fmt: skip
    url = reverse("labeling:run_progress", args=[run.pk])
    first = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in first and "0 done" in first
    batch_process(batch_id=run.batches.order_by("index").first().pk)
    halfway = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "4 done" in halfway and 'max="100" value="50.0"' in halfway
    batch_process(batch_id=run.batches.order_by("index").last().pk)
    done = editor_client.get(url, HTTP_HX_REQUEST="true")
    assert "every 1s" not in done.content.decode() and done["HX-Refresh"] == "true"


def test_upload_reports_bad_lines_and_imports_nothing(editor_client):
    data = b'{"prompt": "a", "response": "b"}\n{"prompt": "a"}\nnot json\n'
    response = editor_client.post(
        reverse("labeling:item_sets"), {"file": SimpleUploadedFile("x.jsonl", data)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "line 2: needs prompt+response" in body and "line 3: not valid JSON" in body
    assert not ItemSet.objects.exists()


def test_starting_a_run_from_the_browser_form(editor_client, published, pairs, tiny_critic):
    response = editor_client.post(
        reverse("labeling:run_create"),
        {"constitution_version": published.pk, "item_set": pairs.pk, "critic": tiny_critic.pk,
         "task": "preference", "selection": "category", "selection_value": "harmlessness",
         "seed": 0, "batch_size": 16},
    )  # fmt: skip
    run = LabelingRun.objects.get()
    assert response["Location"] == reverse("labeling:run", args=[run.pk])
    assert run.total_units == 8 * 2  # HARM-01 and HARM-02


def test_reviewers_cannot_start_runs_or_edit_critics(reviewer_client, tiny_critic):
    assert reviewer_client.get(reverse("labeling:run_create")).status_code == 403
    assert (
        reviewer_client.get(reverse("labeling:critic_edit", args=[tiny_critic.pk])).status_code
        == 403
    )
    assert reviewer_client.post(reverse("labeling:item_sets"), {}).status_code == 403


def test_critic_configs_are_created_in_the_browser_and_validated(researcher_client):
    url = reverse("labeling:critic_create")
    bad = researcher_client.post(
        url,
        {
            "name": "vllm",
            "backend": "openai",
            "model": "llama",
            "max_new_tokens": 64,
            "temperature": 0,
            "top_p": 1,
            "batch_size": 8,
            "max_concurrency": 16,
            "timeout_s": 30,
        },
    )
    assert bad.status_code == 200 and "base_url" in bad.content.decode()
    good = researcher_client.post(
        url,
        {
            "name": "vllm",
            "backend": "openai",
            "model": "llama",
            "base_url": "http://127.0.0.1:9/v1",
            "api_key_env": "CAI_CRITIC_KEY_VLLM",
            "max_new_tokens": 64,
            "temperature": 0,
            "top_p": 1,
            "batch_size": 8,
            "max_concurrency": 16,
            "timeout_s": 30,
        },
    )
    assert good.status_code == 302
    saved = CriticConfig.objects.get(name="vllm").backend_config()
    assert saved["api_key_env"] == "CAI_CRITIC_KEY_VLLM"


def test_api_import_run_progress_and_labels(published, tiny_critic):
    user = UserFactory(username="api-researcher", roles=["researcher"])
    client = APIClient()
    client.force_authenticate(user)
    rows = [{"prompt": "q", "response_a": "a", "response_b": "b", "preferred": "B"}] * 3
    upload = SimpleUploadedFile("p.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    created = client.post("/api/item-sets/", {"file": upload, "name": "api"}, format="multipart")
    assert created.status_code == 201 and created.json()["item_count"] == 3
    bad = client.post(
        "/api/item-sets/", {"file": SimpleUploadedFile("b.jsonl", b"{}")}, format="multipart"
    )
    assert bad.status_code == 400 and bad.json()["problems"][0].startswith("line 1:")
    run = client.post(
        "/api/runs/",
        {
            "constitution_version": published.pk,
            "item_set": created.json()["id"],
            "critic": tiny_critic.pk,
            "task": "preference",
            "selection": "code",
            "selection_value": "HON-01",
        },
        format="json",
    )
    assert run.status_code == 201, run.json()
    run_id = run.json()["id"]
    assert client.get(f"/api/runs/{run_id}/progress/").json()["done"] == 0
    for batch in LabelingRun.objects.get(pk=run_id).batches.all():
        batch_process(batch_id=batch.pk)
    progress = client.get(f"/api/runs/{run_id}/progress/").json()
    assert (progress["done"], progress["total"], progress["finished"]) == (3, 3, True)
    labels = client.get(f"/api/preference-labels/?run={run_id}").json()
    assert labels["count"] == 3 and {"p_a_first", "p_a_second", "position_stuck"} <= set(
        labels["results"][0]
    )
    assert client.post(f"/api/runs/{run_id}/cancel/").status_code == 400  # already finished


def test_api_refuses_reviewers_writes(reviewer, published, pairs, tiny_critic):
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.post(
        "/api/runs/",
        {
            "constitution_version": published.pk,
            "item_set": pairs.pk,
            "critic": tiny_critic.pk,
            "task": "preference",
        },
        format="json",
    )
    assert response.status_code == 403
    assert client.get("/api/runs/").status_code == 403  # runs show AI results: not to reviewers
