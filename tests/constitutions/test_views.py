import pytest
from django.urls import reverse

from constitutions import services
from tests.conftest import logged_in
from tests.factories import principle_fields

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(principle, **overrides) -> dict:
    data = {name: getattr(principle, name) for name in principle_fields()}
    data.update(locale=principle.locale, few_shot_example="", lock_version=principle.lock_version)
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    for url in (
        reverse("constitutions:list"),
        reverse("constitutions:version", args=[draft.pk]),
        reverse("constitutions:principle_edit", args=[draft.principles.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_reviewer_can_read_but_not_edit(reviewer_client, draft):
    principle = draft.principles.first()
    assert reviewer_client.get(reverse("constitutions:version", args=[draft.pk])).status_code == 200
    edit = reverse("constitutions:principle_edit", args=[principle.pk])
    assert reviewer_client.get(edit).status_code == 403
    response = reviewer_client.post(edit, form_data(principle, title="Hijacked"))
    assert response.status_code == 403
    for name in ("publish", "fork", "discard", "tag_add"):
        url = reverse(f"constitutions:{name}", args=[draft.pk])
        assert reviewer_client.post(url, {"changelog": "x", "name": "y"}).status_code == 403
    assert reviewer_client.get(reverse("constitutions:create")).status_code == 403
    principle.refresh_from_db()
    assert principle.title == "Principle HARM-01"


def test_version_page_hides_edit_controls_from_reviewers(reviewer_client, editor_client, draft):
    url = reverse("constitutions:version", args=[draft.pk])
    assert b"Add principle" not in reviewer_client.get(url).content
    assert b"Add principle" in editor_client.get(url).content


def test_htmx_edit_returns_the_form_partial_then_the_saved_card(editor_client, draft):
    principle = draft.principles.get(code="HARM-01")
    url = reverse("constitutions:principle_edit", args=[principle.pk])
    form = editor_client.get(url, **HTMX)
    assert form.status_code == 200
    assert b"<html" not in form.content and b'name="lock_version"' in form.content
    saved = editor_client.post(url, form_data(principle, title="Sharper title"), **HTMX)
    assert saved.status_code == 200
    assert b"<html" not in saved.content and b"Sharper title" in saved.content
    principle.refresh_from_db()
    assert (principle.title, principle.lock_version) == ("Sharper title", 2)


def test_plain_post_without_javascript_redirects_back(editor_client, draft):
    principle = draft.principles.get(code="HARM-01")
    url = reverse("constitutions:principle_edit", args=[principle.pk])
    response = editor_client.post(url, form_data(principle, title="No JS"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p{principle.pk}")


def test_concurrent_edit_shows_a_conflict_with_the_other_change(draft, editor, second_editor):
    principle = draft.principles.get(code="HARM-01")
    url = reverse("constitutions:principle_edit", args=[principle.pk])
    first, second = logged_in(editor), logged_in(second_editor)
    stale = form_data(principle)
    assert first.post(url, {**stale, "critique_request": "First editor's text"}).status_code == 302
    response = second.post(url, {**stale, "critique_request": "Second editor's text"}, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Edit conflict" in body and "editor saved HARM-01" in body
    assert "First editor&#x27;s text" in body  # theirs, shown
    assert "Second editor&#x27;s text" in body  # mine, kept in the form
    assert 'name="lock_version" value="2"' in body
    principle.refresh_from_db()
    assert principle.critique_request == "First editor's text"


def test_editing_a_published_version_is_refused_on_the_page(editor_client, published):
    principle = published.principles.first()
    url = reverse("constitutions:principle_edit", args=[principle.pk])
    response = editor_client.post(url, form_data(principle, title="Sneaky"), follow=True)
    assert b"is published" in response.content
    principle.refresh_from_db()
    assert principle.title != "Sneaky"


def test_fork_and_publish_through_the_pages(editor_client, published):
    response = editor_client.post(reverse("constitutions:fork", args=[published.pk]))
    fork = published.children.get()
    assert response["Location"] == reverse("constitutions:version", args=[fork.pk])
    response = editor_client.post(
        reverse("constitutions:publish", args=[fork.pk]), {"changelog": "Second"}, follow=True
    )
    assert b"Published v2" in response.content
    fork.refresh_from_db()
    assert fork.is_published


def test_diff_page_highlights_changed_words(editor, editor_client, published):
    fork = services.version_fork(actor=editor, version=published)
    principle = fork.principles.get(code="HARM-01", locale="")
    services.principle_update(
        actor=editor,
        principle=principle,
        lock_version=1,
        critique_request="Identify how the response breaks HARM-01 or enables fraud.",
    )
    url = reverse("constitutions:diff", args=[published.pk, fork.pk])
    body = editor_client.get(url).content.decode()
    assert "<ins>HARM-01 or enables fraud</ins>" in body or "<ins> or enables fraud</ins>" in body
    assert "1 changed" in body and "3 unchanged" in body
    # The picker turns a GET form into the same shareable URL.
    picked = editor_client.get(
        reverse("constitutions:diff_pick", args=[published.constitution_id]),
        {"old": published.pk, "new": fork.pk},
    )
    assert picked["Location"] == url


def test_principle_text_is_escaped_everywhere(editor, editor_client, draft):
    nasty = '<script>alert("x")</script>'
    services.principle_create(
        actor=editor,
        version=draft,
        **principle_fields("HARM-09", title=nasty, critique_request=nasty),
    )
    for url in (
        reverse("constitutions:version", args=[draft.pk]),
        reverse("constitutions:history", args=[draft.constitution_id]),
    ):
        body = editor_client.get(url).content.decode()
        assert nasty not in body
    assert (
        "&lt;script&gt;"
        in editor_client.get(reverse("constitutions:version", args=[draft.pk])).content.decode()
    )


def test_yaml_upload_lists_every_problem_and_writes_nothing(editor_client, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from constitutions.models import ConstitutionVersion
    from constitutions.selectors import version_export_yaml

    text = version_export_yaml(version=published)
    bad = text.replace("code: HON-01", "code: HARM-01").replace(
        "category: honesty", "category: Bad One"
    )
    before = ConstitutionVersion.objects.count()
    response = editor_client.post(
        reverse("constitutions:import"), {"file": SimpleUploadedFile("c.yaml", bad.encode())}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "duplicate code HARM-01" in body and "must be lowercase" in body
    assert ConstitutionVersion.objects.count() == before
    good = editor_client.post(reverse("constitutions:import"), {"text": text})
    assert good.status_code == 302
    assert ConstitutionVersion.objects.count() == before + 1


def test_export_downloads_yaml(reviewer_client, published):
    response = reviewer_client.get(reverse("constitutions:export", args=[published.pk]))
    assert response["Content-Type"] == "application/yaml"
    assert b"code: HARM-01" in response.content


def test_history_page_lists_who_did_what(editor_client, published):
    body = editor_client.get(
        reverse("constitutions:history", args=[published.constitution_id])
    ).content.decode()
    assert (
        "version.published" in body and "editor" in body and "Published v1: First version" in body
    )


def test_list_shows_review_due(editor_client, constitution):
    from datetime import timedelta

    from django.utils import timezone

    constitution.last_reviewed_at = timezone.now() - timedelta(days=365)
    constitution.save(update_fields=["last_reviewed_at"])
    assert b"review due since" in editor_client.get(reverse("constitutions:list")).content


def test_vendored_htmx_is_served_locally(client):
    response = client.get("/static/vendor/htmx-2.0.11/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)[:2000]
