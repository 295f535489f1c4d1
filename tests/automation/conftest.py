"""Labels made elsewhere, written with the ORM as an importer would (an import run with an
external judge and source), and announced with labels_arrived as the importer will."""

import numpy as np
import pytest

from cai_audit.roles import RESEARCHER, REVIEW_LEAD, REVIEWER
from labeling.models import Item, Judge, LabelingRun, LabelSource, PreferenceLabel
from labeling.services.processing import labels_save
from labeling.signals import labels_arrived
from tests.factories import ItemFactory, ItemSetFactory, PreferenceLabelFactory, UserFactory

DOMAINS = ("medical", "legal", "general", "finance")
CODES = ("HARM-01", "HARM-02", "HON-01")


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", roles=[REVIEW_LEAD])


@pytest.fixture
def researcher(db):
    return UserFactory(username="researcher", roles=[RESEARCHER])


@pytest.fixture
def reviewers(db):
    return [UserFactory(username=f"rev{n}", roles=[REVIEWER]) for n in range(3)]


@pytest.fixture
def judge(db):
    return Judge.objects.create(name="guard", model="meta-llama/Llama-Guard-3-8B")


@pytest.fixture
def source(judge):
    return LabelSource.objects.create(key="prod", name="Production", judge=judge)


@pytest.fixture
def other_source(judge):
    return LabelSource.objects.create(key="staging", name="Staging", judge=judge)


def import_labels(version, source, count: int, *, seed: int = 0, choice_a_share: float = 0.5):
    """`count` imported preference labels of `source` (one import run); returns (run, ids)."""
    rng = np.random.default_rng(seed)
    item_set = ItemSetFactory(name=f"imported {source.key} {seed} {count}", item_count=count)
    items = Item.objects.bulk_create(
        ItemFactory.build(
            item_set=item_set, line=n + 1, domain=DOMAINS[n % 4], high_stakes=n % 10 == 0
        )
        for n in range(count)
    )
    run = LabelingRun.objects.create(
        constitution_version=version,
        item_set=item_set,
        origin="import",
        judge=source.judge,
        source=source,
        task="preference",
        status="done",
        total_units=count,
    )
    labels = []
    for n, item in enumerate(items):
        p = float(rng.uniform(0.55, 0.95))
        if rng.random() >= choice_a_share:
            p = 1 - p
        labels.append(
            PreferenceLabelFactory.build(
                run=run,
                item=item,
                principle_code=CODES[n % 3],
                model_id="guard",
                principle_category="honesty" if CODES[n % 3] == "HON-01" else "harmlessness",
                p_a_first=p,
                p_a_second=p,
            )
        )
    labels_save(PreferenceLabel, labels)
    ids = list(PreferenceLabel.objects.filter(run=run).order_by("id").values_list("id", flat=True))
    return run, ids


def announce(source, run, ids=None) -> None:
    labels_arrived.send(
        sender=type(source),
        source=source,
        kind="preference",
        runs=[run.pk],
        label_ids=ids,
        actor=None,
    )
