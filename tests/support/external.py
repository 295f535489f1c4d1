"""Labels made elsewhere, written with the ORM as an importer writes them: a run with origin
"import", an external judge and a source, no critic, and preference labels (the ingest app builds
the real importer)."""

from labeling.models import Item, Judge, LabelingRun, LabelSource, PreferenceLabel
from labeling.services.processing import labels_save
from tests.factories import ItemFactory, ItemSetFactory, PreferenceLabelFactory


def judge_and_source(key: str = "prod-judge", name: str = "prod judge"):
    judge = Judge.objects.create(name=name, model="gpt-4o-2024-08-06", version="v3")
    source = LabelSource.objects.create(key=key, name=f"{name} pipeline", judge=judge)
    return judge, source


def imported_run(
    version, *, judge, source, choices, humans, one_order=(), codes=("HARM-01",), domain="general"
) -> LabelingRun:
    """A run of imported preference labels: item n has human label humans[n] (" " for none) and
    the AI chose choices[n] (P(A) 0.8 for A, 0.2 for B); items in `one_order` were judged in one
    order only (p_a_second, option_mass None)."""
    item_set = ItemSetFactory(name=f"import {source.key} {judge.pk}", item_count=len(choices))
    items = Item.objects.bulk_create(
        ItemFactory.build(item_set=item_set, line=n + 1, human_choice=humans[n].strip(),
                          domain=domain, prompt=[{"role": "user", "content": f"question {n}"}])
        for n in range(len(choices))
    )  # fmt: skip
    run = LabelingRun.objects.create(
        constitution_version=version, item_set=item_set, critic=None, origin="import",
        judge=judge, source=source, task="preference", status="done", total_units=len(choices),
        critic_snapshot=judge.snapshot(),
    )  # fmt: skip
    labels = []
    for n, item in enumerate(items):
        p = 0.8 if choices[n] == "A" else 0.2
        label = PreferenceLabelFactory.build(
            run=run, item=item, principle_code=codes[n % len(codes)], model_id=judge.model,
            p_a_first=p, p_a_second=p,
        )  # fmt: skip
        if n in one_order:
            label.p_a_second = None
            label.option_mass = None
            label.position_stuck = False
        labels.append(label)
    labels_save(PreferenceLabel, labels)
    return run


def audited_sources(version, lead, reviewers) -> dict:
    """Two sources with their own judges (one with two runs) and a run of our own critic; every
    preference label drawn (n = all) and audited by two reviewers and a lead."""
    from reviews.services.queues import queue_open
    from reviews.services.samples import sample_draw
    from tests.dashboards.conftest import adjudicate_all, review_all
    from tests.reviews.conftest import make_labels

    judge_a, source_a = judge_and_source("prod-a", "judge a")
    judge_b, source_b = judge_and_source("prod-b", "judge b")
    imported_run(
        version,
        judge=judge_a,
        source=source_a,
        choices="AABBABAB",
        humans="ABBA AB ",
        codes=("HARM-01", "HON-01"),
    )
    imported_run(version, judge=judge_a, source=source_a, choices="BBA", humans="BAA")
    imported_run(version, judge=judge_b, source=source_b, choices="ABABAB", humans="BBBBBB",
                 one_order=(0, 1), domain="medical")  # fmt: skip
    make_labels(version, 6, seed=2)
    total = PreferenceLabel.objects.count()
    sample = sample_draw(
        actor=lead, name="all", label_kind="preference", strategy="random", n=total, seed=1
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    review_all(queue, reviewers[:2])
    adjudicate_all(lead)
    return {"a": (judge_a, source_a), "b": (judge_b, source_b), "sample": sample}
