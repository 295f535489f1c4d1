"""The shipped default critic (SmolLM2-135M-Instruct) labels real data end to end."""

import pytest

from labeling.models import CritiqueLabel, PreferenceLabel
from labeling.services.critics import critic_config_default
from labeling.services.processing import batch_process
from labeling.services.runs import run_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def default_critic(settings, model_cache_root):
    settings.MODEL_CACHE_DIR = model_cache_root
    critic = critic_config_default()
    critic.max_new_tokens = 24
    critic.save(update_fields=["max_new_tokens"])
    return critic


def test_default_model_critiques_revises_and_judges_real_items(
    published, pairs, singles, default_critic, editor
):
    preference = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=default_critic,
        task="preference", selection="code", selection_value="HARM-01", item_limit=2,
    )  # fmt: skip
    critique = run_create(
        actor=editor, constitution_version=published, item_set=singles, critic=default_critic,
        task="critique", selection="code", selection_value="HON-01", item_limit=1,
    )  # fmt: skip
    for run in (preference, critique):
        for batch in run.batches.all():
            batch_process(batch_id=batch.pk)
        run.refresh_from_db()
        assert run.status == "done"
    for label in PreferenceLabel.objects.filter(run=preference):
        assert label.model_id == "transformers:smollm2-135m-instruct"
        assert (
            0 <= label.p_a <= 1 and label.option_mass > 0.5
        )  # pre-filled answer: next token is A/B
    (label,) = CritiqueLabel.objects.filter(run=critique)
    assert len(label.critique.split()) >= 3 and len(label.revision.split()) >= 1
