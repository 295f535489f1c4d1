"""Demo data for the AI side: the preference pairs shipped with the project (written for it), the
single replies the critique run revises, the real HH-RLHF pairs when they are available, the
shipped critic, and two small runs queued for the worker that `make run` starts."""

import logging

from django.conf import settings

from .demo_data import SHIPPED_PAIRS, SHIPPED_SINGLES, hh_rlhf_path, hh_rlhf_usable
from .models import ItemSet
from .services.critics import critic_config_default
from .services.items import item_set_import
from .services.runs import run_create

PAIRS_NAME = "Demo pairs (written for CAI Audit, human-labelled)"
SINGLES_NAME = "Demo replies to critique (the demo pairs' less safe replies)"
HH_RLHF_NAME = "HH-RLHF harmless pairs (human-labelled; content warning: offensive text)"
# The preference run judges the first pairs under HARM-02 ("Refuse to assist with illegal
# acts"): the shipped set lists its illegal-or-unethical-act pairs first.
PREFERENCE_CODE = "HARM-02"
PREFERENCE_PAIRS = 48

logger = logging.getLogger(__name__)


def demo_labeling_load(*, owner, version) -> None:
    """Idempotent, per item set: the shipped sets and their two runs are made once; the real
    HH-RLHF pairs are imported the first time they are found (CAI_HH_RLHF_PATH, else
    ../shared/data beside the checkout), so a later `load_demo` picks them up."""
    if not ItemSet.objects.filter(name=PAIRS_NAME).exists():
        _shipped_load(owner=owner, version=version)
    real = hh_rlhf_path(settings.CAI_HH_RLHF_PATH)
    if real is not None and not ItemSet.objects.filter(name=HH_RLHF_NAME).exists():
        usable, refused = hh_rlhf_usable(real.read_bytes())
        item_set_import(actor=owner, name=HH_RLHF_NAME, data=usable, filename=real.name)
        if refused:
            logger.info("Demo: left out %d rows of %s: %s", len(refused), real, "; ".join(refused))


def _shipped_load(*, owner, version) -> None:
    pairs = item_set_import(
        actor=owner, name=PAIRS_NAME, data=SHIPPED_PAIRS.read_bytes(), filename=SHIPPED_PAIRS.name
    )
    singles = item_set_import(
        actor=owner, name=SINGLES_NAME, data=SHIPPED_SINGLES.read_bytes(),
        filename=SHIPPED_SINGLES.name,
    )  # fmt: skip
    critic = critic_config_default()
    run_create(
        actor=owner, constitution_version=version, item_set=pairs, critic=critic,
        task="preference", selection="code", selection_value=PREFERENCE_CODE,
        item_limit=PREFERENCE_PAIRS,
    )  # fmt: skip
    run_create(
        actor=owner, constitution_version=version, item_set=singles, critic=critic,
        task="critique", selection="sampled", item_limit=8, batch_size=8,
    )  # fmt: skip
