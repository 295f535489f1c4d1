"""Demo data for the AI side: the shared harmlessness pairs, single replies to critique, the
shipped critic, and two small runs queued for the worker that `make run` starts."""

import gzip
import json
from pathlib import Path

from django.conf import settings

from .importing import split_conversation
from .models import ItemSet
from .services.critics import critic_config_default
from .services.items import item_set_import
from .services.runs import run_create

DATA = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "hh-rlhf-harmless-test-first1000.jsonl.gz"
)
PAIRS_NAME = "HH-RLHF harmless pairs (first 1000, human-labelled)"
SINGLES_NAME = "HH-RLHF rejected replies (first 40) to critique"


def demo_data_path() -> Path:
    return Path(getattr(settings, "DEMO_DATA_PATH", "") or DATA)


def _singles_from(data: bytes, count: int) -> bytes:
    rows = []
    for line in gzip.decompress(data).splitlines()[:count]:
        turns = split_conversation(json.loads(line)["rejected"])
        rows.append({"prompt": turns[:-1], "response": turns[-1]["content"], "source": "hh-rlhf"})
    return "\n".join(json.dumps(row) for row in rows).encode()


def demo_labeling_load(*, owner, version) -> None:
    """Idempotent: does nothing when the demo item sets exist."""
    if ItemSet.objects.filter(name=PAIRS_NAME).exists():
        return
    data = demo_data_path().read_bytes()
    pairs = item_set_import(actor=owner, name=PAIRS_NAME, data=data, filename=DATA.name)
    singles = item_set_import(
        actor=owner, name=SINGLES_NAME, data=_singles_from(data, 40), filename="hh-rejected.jsonl"
    )
    critic = critic_config_default()
    run_create(
        actor=owner, constitution_version=version, item_set=pairs, critic=critic,
        task="preference", selection="code", selection_value="HARM-02", item_limit=48,
    )  # fmt: skip
    run_create(
        actor=owner, constitution_version=version, item_set=singles, critic=critic,
        task="critique", selection="sampled", item_limit=8, batch_size=8,
    )  # fmt: skip
