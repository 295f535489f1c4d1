"""Principle panels: other apps hang their notes under the principles of a version's page
through a registry, so constitutions never imports them."""

import pytest

from cai_audit import permissions
from constitutions.panels import (
    PrinciplePanel,
    principle_panel_register,
    principle_panel_unregister,
)
from tests.conftest import logged_in

queried_versions = []


def _notes(*, version_id):
    queried_versions.append(version_id)
    return {"HARM-02": ["needs an example <b>here</b>"]}


@pytest.fixture
def panel():
    queried_versions.clear()
    registered = PrinciplePanel(
        name="tests.notes",
        template="tests/principle_notes.html",
        entries=_notes,
        permissions=permissions.SEE_PRINCIPLE_FLAGS,
    )
    principle_panel_register(registered)
    yield registered
    principle_panel_unregister(registered.name)


@pytest.fixture
def notes_template(settings, tmp_path):
    folder = tmp_path / "templates" / "tests"
    folder.mkdir(parents=True)
    (folder / "principle_notes.html").write_text(
        '<aside class="test-note">{% for note in entries %}{{ note }}{% endfor %}</aside>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}
    ]


def test_a_registered_panel_shows_under_its_global_principle_only(
    panel, notes_template, editor_client, published
):
    page = editor_client.get(f"/constitutions/versions/{published.pk}/").content.decode()
    # Once: under the global HARM-02, not under its de-DE addendum; escaped like any text.
    assert page.count('class="test-note"') == 1
    assert "needs an example &lt;b&gt;here&lt;/b&gt;" in page
    assert queried_versions == [published.pk]


def test_a_panel_is_neither_queried_nor_shown_without_its_permission(
    panel, notes_template, reviewer, published
):
    page = logged_in(reviewer).get(f"/constitutions/versions/{published.pk}/").content.decode()
    assert "test-note" not in page
    assert queried_versions == []
