"""Labels drawn before SampledLabel carried its AI label's facts get them from the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.models import SampledLabel
from reviews.services.samples import sample_draw

BEFORE = [("reviews", "0001_initial")]
AFTER = [("reviews", "0002_sampled_label_facts")]
FACTS = ("pk", "principle_code", "domain", "ai_choice", "ai_confidence", "critic_id")


def _facts() -> dict:
    # Columns only: at AFTER the table lacks the fields later migrations add.
    return {row[0]: row[1:] for row in SampledLabel.objects.values_list(*FACTS)}


@pytest.fixture
def latest_schema_after():
    """The tests migrate back in time; put the schema back so later tests see every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_facts_of_labels_drawn_before_it(
    published, lead, latest_schema_after
):
    from tests.reviews.conftest import make_labels

    make_labels(published, 12)
    sample_draw(actor=lead, name="old", label_kind="preference", strategy="random", n=6)
    expected = _facts()
    SampledLabel.objects.update(principle_code="", domain="", ai_choice="", ai_confidence=None)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    found = _facts()
    assert found == expected and all(v[0] and v[2] for v in found.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_labels_written_before_tallies_existed(
    published, latest_schema_after
):
    from labeling.models import LabelTally
    from tests.reviews.conftest import make_labels

    make_labels(published, 30)
    expected = set(LabelTally.objects.values_list("principle_code", "domain", "labels", "stuck"))
    executor = MigrationExecutor(connection)
    executor.migrate([("labeling", "0001_initial")])
    executor.loader.build_graph()
    executor.migrate([("labeling", "0002_label_tally")])
    found = set(LabelTally.objects.values_list("principle_code", "domain", "labels", "stuck"))
    assert found == expected and sum(row[2] for row in found) == 30
