"""Regression suites start themselves when a version is published or a release is tagged,
according to each suite's setting."""

import pytest

from cai_audit.models import AuditEvent
from constitutions import services as constitution_services
from labeling.models import CriticConfig
from redteam.models import Run
from redteam.services.suites import suite_import, suite_settings_update

from .conftest import suite_bytes


@pytest.fixture
def following(db, models):
    """A suite set to re-run on publish and on release, with two operators, and one that is not."""
    suite = suite_import(actor=None, name="Regression", data=suite_bytes(), filename="r.jsonl")
    suite_settings_update(
        actor=None, suite=suite, run_on_publish=True, run_on_release=True,
        regression_target=models["safe"], regression_judge=models["judge"],
        regression_operators=["role_play", "hypothetical"], regression_temperatures=[0.0, 0.5],
    )  # fmt: skip
    suite_import(actor=None, name="Ad hoc", data=suite_bytes(), filename="a.jsonl")
    return suite


def test_publishing_a_version_starts_the_suites_that_follow_publishing(
    following, draft, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = constitution_services.version_publish(
            actor=editor, version=draft, changelog="Tighter weapons rule"
        )
    run = Run.objects.get()  # only the suite that follows publishing
    assert run.suite == following and run.trigger == Run.Trigger.PUBLISH
    assert run.constitution_version == version and run.created_by == editor
    assert run.operators == ["role_play", "hypothetical"] and run.temperatures == [0.0, 0.5]
    assert run.target.name == "safe" and run.judge.name == "judge"
    assert run.status == Run.Status.QUEUED and len(callbacks) == 1  # its preparation is queued


def test_no_suite_follows_publishing_unless_set(db, draft, editor, models):
    suite_import(actor=None, name="Ad hoc", data=suite_bytes(), filename="a.jsonl")
    constitution_services.version_publish(actor=editor, version=draft, changelog="v1")
    assert not Run.objects.exists()


def test_a_failed_publish_starts_nothing(following, draft, editor):
    with pytest.raises(Exception, match="changelog"):
        constitution_services.version_publish(actor=editor, version=draft, changelog=" ")
    assert not Run.objects.exists()


def test_tagging_a_release_runs_against_the_model_named_like_the_release(
    following, version, editor, scripted_server
):
    CriticConfig.objects.create(
        name="assistant-2026.12", backend="openai", model="unsafe-on-weapons",
        base_url=scripted_server.base_url,
    )  # fmt: skip
    constitution_services.release_tag_add(actor=editor, version=version, name="assistant-2026.12")
    run = Run.objects.get(release_tag="assistant-2026.12")
    assert run.trigger == Run.Trigger.RELEASE and run.release_tag == "assistant-2026.12"
    assert run.target.name == "assistant-2026.12" and run.constitution_version == version

    constitution_services.release_tag_add(actor=editor, version=version, name="unknown-release")
    assert Run.objects.get(release_tag="unknown-release").target.name == "safe"  # the default


def test_a_suite_that_cannot_run_never_blocks_the_publish(following, draft, editor):
    following.cases.all().delete()
    version = constitution_services.version_publish(actor=editor, version=draft, changelog="v1")
    assert version.is_published and not Run.objects.exists()
    skipped = AuditEvent.objects.get(action="redteam.regression_skipped")
    assert "has no cases" in skipped.summary
