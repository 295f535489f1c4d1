import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cai_audit.errors import DomainError, EditConflict, ImmutableError, ImportProblems
from cai_audit.models import AuditEvent
from constitutions import services
from constitutions.models import ConstitutionVersion, Principle
from constitutions.selectors import constitution_list, version_diff, version_export_yaml
from tests.factories import principle_fields

pytestmark = pytest.mark.django_db


def test_a_published_version_refuses_every_write(published, editor):
    principle = published.principles.get(code="HARM-01", locale="")
    writes = [
        lambda: services.principle_create(
            actor=editor, version=published, **principle_fields("HARM-09")
        ),
        lambda: services.principle_update(
            actor=editor, principle=principle, lock_version=principle.lock_version, title="X"
        ),
        lambda: services.principle_delete(actor=editor, principle=principle),
        lambda: services.version_publish(actor=editor, version=published, changelog="again"),
        lambda: services.version_discard(actor=editor, version=published),
    ]
    for write in writes:
        with pytest.raises(ImmutableError, match="published and cannot be changed"):
            write()
    principle.refresh_from_db()
    assert principle.title == "Principle HARM-01"
    assert published.principles.count() == 4


def test_a_stale_draft_object_cannot_sneak_past_publication(draft, editor):
    services.version_publish(actor=editor, version=draft, changelog="v1")
    # `draft` still says "draft" in memory; the service re-reads the row under a lock.
    assert draft.status == "draft"
    with pytest.raises(ImmutableError):
        services.principle_create(actor=editor, version=draft, **principle_fields("HARM-09"))


def test_fork_copies_principles_into_a_new_numbered_draft(published, editor):
    fork = services.version_fork(actor=editor, version=published)
    assert (fork.number, fork.status, fork.parent_id) == (2, "draft", published.pk)
    fields = ["code", "locale", "title", "critique_request", "priority"]
    assert list(fork.principles.values_list(*fields)) == list(
        published.principles.values_list(*fields)
    )
    services.principle_update(
        actor=editor,
        principle=fork.principles.get(code="HARM-01"),
        lock_version=1,
        title="Changed in the fork",
    )
    assert published.principles.get(code="HARM-01").title == "Principle HARM-01"


def test_publish_needs_a_changelog_and_principles(constitution, editor):
    empty = constitution.versions.get(number=1)
    with pytest.raises(DomainError, match="changelog"):
        services.version_publish(actor=editor, version=empty, changelog="  ")
    with pytest.raises(DomainError, match="at least one principle"):
        services.version_publish(actor=editor, version=empty, changelog="nothing")


def test_publish_records_who_when_and_resets_the_review_clock(draft, editor):
    version = services.version_publish(actor=editor, version=draft, changelog="First")
    assert version.published_by == editor and version.published_at is not None
    draft.constitution.refresh_from_db()
    assert draft.constitution.last_reviewed_at == version.published_at


def test_second_editor_saving_the_same_draft_gets_a_conflict(draft, editor, second_editor):
    principle = draft.principles.get(code="HARM-01", locale="")
    loaded = principle.lock_version
    services.principle_update(
        actor=editor, principle=principle, lock_version=loaded, title="Editor one's title"
    )
    with pytest.raises(EditConflict) as caught:
        services.principle_update(
            actor=second_editor, principle=principle, lock_version=loaded, title="Editor two"
        )
    assert caught.value.current.title == "Editor one's title"
    assert "editor saved HARM-01" in caught.value.message
    principle.refresh_from_db()
    assert principle.title == "Editor one's title"
    assert principle.lock_version == loaded + 1


def test_principle_codes_are_unique_per_version_and_locale(draft, editor):
    with pytest.raises(ValidationError, match="HARM-01 already exists"):
        services.principle_create(actor=editor, version=draft, **principle_fields("HARM-01"))
    services.principle_create(
        actor=editor, version=draft, **principle_fields("HARM-01", locale="fr-FR")
    )


def test_an_addendum_needs_its_global_principle(draft, editor):
    with pytest.raises(ValidationError, match="needs a global principle HELP-09"):
        services.principle_create(
            actor=editor, version=draft, **principle_fields("HELP-09", locale="de-DE")
        )
    with pytest.raises(DomainError, match="addenda"):
        services.principle_delete(
            actor=editor, principle=draft.principles.get(code="HARM-02", locale="")
        )


@pytest.mark.parametrize(
    "field, value",
    [("code", "harm 1"), ("locale", "german"), ("category", "Harm Stuff"), ("title", "")],
)
def test_bad_principle_fields_are_refused(draft, editor, field, value):
    with pytest.raises(ValidationError):
        services.principle_create(
            actor=editor, version=draft, **{**principle_fields("HARM-05"), field: value}
        )
    assert not draft.principles.filter(code="HARM-05").exists()


def test_roles_without_author_permission_cannot_write(draft, reviewer, researcher):
    for user in (reviewer, researcher):
        with pytest.raises(PermissionDenied):
            services.principle_create(actor=user, version=draft, **principle_fields("HARM-05"))
        with pytest.raises(PermissionDenied):
            services.version_publish(actor=user, version=draft, changelog="x")


def test_release_tags_only_on_published_versions(draft, editor):
    with pytest.raises(DomainError, match="Only published"):
        services.release_tag_add(actor=editor, version=draft, name="model-1")
    services.version_publish(actor=editor, version=draft, changelog="v1")
    tag = services.release_tag_add(actor=editor, version=draft, name="model-1", note="RLAIF")
    assert list(draft.tags.values_list("name", flat=True)) == ["model-1"]
    with pytest.raises(DomainError, match="already tagged"):
        services.release_tag_add(actor=editor, version=draft, name="model-1")
    services.release_tag_remove(actor=editor, tag=tag)
    assert not draft.tags.exists()


def test_every_constitution_event_writes_the_audit_log(published, editor):
    fork = services.version_fork(actor=editor, version=published)
    principle = fork.principles.get(code="HON-01")
    services.principle_update(actor=editor, principle=principle, lock_version=1, priority=3)
    services.release_tag_add(actor=editor, version=published, name="m-1")
    events = AuditEvent.objects.filter(scope=f"constitution:{published.constitution_id}")
    actions = list(events.order_by("id").values_list("action", flat=True))
    assert actions == [
        "constitution.created",
        "principle.created",
        "principle.created",
        "principle.created",
        "principle.created",
        "version.published",
        "version.forked",
        "principle.updated",
        "version.tagged",
    ]
    update = events.get(action="principle.updated")
    assert update.actor == editor
    assert update.payload["changes"] == {"priority": {"old": 10, "new": 3}}


def test_audit_log_rows_cannot_be_changed_or_deleted(published):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    assert connection.vendor == "postgresql"
    event = AuditEvent.objects.first()
    for statement in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    event.refresh_from_db()
    assert event.summary != "rewritten"


def test_yaml_import_creates_a_draft_and_round_trips(published, editor):
    text = version_export_yaml(version=published)
    draft = services.version_import_yaml(actor=editor, text=text)
    assert (draft.constitution_id, draft.number, draft.status) == (
        published.constitution_id,
        2,
        "draft",
    )
    body = lambda t: t.split("\n", 1)[1]  # noqa: E731 - the first line names the version
    assert body(version_export_yaml(version=draft)) == body(text)
    assert version_diff(old=published, new=draft).counts()["unchanged"] == 4


def test_bad_yaml_import_writes_nothing(published, editor):
    text = version_export_yaml(version=published).replace("code: HON-01", "code: HARM-01")
    before = (
        ConstitutionVersion.objects.count(),
        Principle.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ImportProblems) as caught:
        services.version_import_yaml(actor=editor, text=text)
    assert any("duplicate code HARM-01" in p for p in caught.value.problems)
    after = (
        ConstitutionVersion.objects.count(),
        Principle.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_import_of_a_new_name_creates_the_constitution(published, editor):
    text = version_export_yaml(version=published).replace(
        "name: Test constitution", "name: Imported one"
    )
    draft = services.version_import_yaml(actor=editor, text=text)
    assert draft.constitution.name == "Imported one"
    assert draft.number == 1 and draft.principles.count() == 4


def test_constitutions_past_their_cadence_are_due_for_review(constitution, editor):
    from datetime import timedelta

    from django.utils import timezone

    constitution.last_reviewed_at = timezone.now() - timedelta(days=91)
    constitution.save(update_fields=["last_reviewed_at"])
    (listed,) = constitution_list()
    assert listed.review_is_due
    services.constitution_mark_reviewed(actor=editor, constitution=constitution)
    (listed,) = constitution_list()
    assert not listed.review_is_due
