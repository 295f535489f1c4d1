"""Reviewers' "principle ambiguous" flags reach the principle's page through the panel the
reviews app registers with constitutions (constitutions never imports reviews)."""

import pytest

from constitutions.panels import _panels
from reviews.hooks import PRINCIPLE_FLAGS
from reviews.services.queues import principle_flag, queue_open, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(population, lead, reviewers, published):
    sample = sample_draw(
        actor=lead, name="s", label_kind="preference", strategy="random", n=4, seed=0
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2, blind=True)
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    return principle_flag(
        reviewer=reviewers[0], slot=slot, principle_code="HARM-02", note="Is a <prank> harm?"
    )


def test_the_reviews_app_registers_its_flags_panel():
    assert _panels[PRINCIPLE_FLAGS.name] is PRINCIPLE_FLAGS


def test_the_policy_side_sees_reviewers_flags_under_the_principle(flagged, editor_client):
    page = editor_client.get(f"/constitutions/versions/{flagged.constitution_version_id}/")
    text = page.content.decode()
    assert "1 reviewer flag: principle ambiguous" in text
    assert "Is a &lt;prank&gt; harm?" in text and "rev0" in text
    assert text.count('class="flags"') == 1  # under HARM-02, not under its de-DE addendum


def test_other_reviewers_do_not_see_the_flags(flagged, reviewers):
    page = logged_in(reviewers[1]).get(
        f"/constitutions/versions/{flagged.constitution_version_id}/"
    )
    assert page.status_code == 200 and "reviewer flag" not in page.content.decode()
