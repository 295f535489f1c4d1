"""The demo's automation rule: half of what the demo pipeline delivers goes to a blind queue."""

from django.contrib.auth.models import AbstractBaseUser

from labeling.models import LabelSource

from .models import AutomationRule
from .services.rules import rule_create

RULE_NAME = "Demo pipeline: half of its labels to review"


def demo_automation_load(
    *, lead: AbstractBaseUser, source: LabelSource, reviewers: list[AbstractBaseUser]
) -> AutomationRule:
    """A Poisson rule at p = 0.5 on the demo source's preference labels, overlap 2, blind
    (idempotent); `lead` needs manage_automation, draw_sample and lead_reviews."""
    found = AutomationRule.objects.filter(name=RULE_NAME).first()
    if found is not None:
        return found
    return rule_create(
        actor=lead,
        name=RULE_NAME,
        label_kind="preference",
        mode=AutomationRule.Mode.POISSON,
        rate=0.5,
        label_filter={"sources": [source.pk]},
        overlap=2,
        blind=True,
        seed=7,
        reviewers=reviewers,
    )
