"""Regression runs that start themselves: when a constitution version is published, or when a
version is tagged with a model release, every suite whose setting asks for it is re-run.

Called on the constitutions app's `version_published` and `release_tagged` signals (see
redteam/receivers.py), which are sent inside the publish (or tag) transaction, so the publish and
the queued runs commit together. A suite that cannot run (say, none of its principles is in the new
version) never blocks the publish: the reason is written to the audit log instead.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.roles import user_or_none
from labeling.models import CriticConfig
from labeling.services.critics import critic_config_default

from ..models import Run, Suite
from .runs import run_create


def _target_for(suite: Suite, release_tag: str) -> CriticConfig:
    if release_tag:
        named = CriticConfig.objects.filter(name=release_tag).first()
        if named is not None:
            return named
    return suite.regression_target or critic_config_default()


def regression_runs_start(
    *, actor: AbstractBaseUser | None, version, event: str, release_tag: str = ""
) -> list[Run]:
    """Start the regression runs `event` ("publish" or "release") asks for, as the system
    (the publisher may not hold the permission to start runs by hand) on behalf of `actor`.

    Raises KeyError for another event. A suite that cannot run (DomainError from run_create)
    raises nothing: it is skipped and the reason written to the audit log, so it never blocks
    the publish or the tag."""
    flag = {"publish": "run_on_publish", "release": "run_on_release"}[event]
    runs = []
    for suite in Suite.objects.filter(**{flag: True}).select_related(
        "regression_target", "regression_judge"
    ):
        try:
            with transaction.atomic():
                run = run_create(
                    actor=None,
                    suite=suite,
                    constitution_version=version,
                    target=_target_for(suite, release_tag),
                    judge=suite.regression_judge or critic_config_default(),
                    operators=suite.regression_operators,
                    temperatures=suite.regression_temperatures or (0.0,),
                    trigger=event,
                    release_tag=release_tag,
                )
                Run.objects.filter(pk=run.pk).update(created_by=user_or_none(actor))
            runs.append(run)
        except DomainError as error:
            audit_record(
                actor=actor, action="redteam.regression_skipped", target=suite,
                scope=f"suite:{suite.pk}",
                summary=f"Regression run of {suite.name} not started: {error}",
            )  # fmt: skip
    return runs
