"""Fixed-n-per-window rules and scheduled draws: when a window ends, draw from its labels.

A window rule draws n labels by simple random sampling from the window's matching labels
(pi = n / N_window, stratum = the window). A scheduled draw runs the reviews draw designs
(simple random or stratified) over the labels made since its last window, and prefixes every
stratum with the window, so each window is a set of new strata of the schedule's one sample and
the inclusion probabilities of earlier windows stay as they were.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cai_audit.errors import DomainError
from labeling import kinds
from labeling.filters import LabelFilter
from reviews import sampling
from reviews.population import label_queryset, population_load
from reviews.services.extend import Drawn, sample_extend

from ..designs import WINDOW_LENGTH, window_name, window_start, windows_between
from ..filters import label_filter_parse, rule_q
from ..models import AutomationRule, DrawSchedule
from .actions import critic_judge_picked, suite_rerun_after_picks


def _in_window(stored: dict, start: datetime, end: datetime) -> LabelFilter:
    values = label_filter_parse(stored).set_fields() | {"created_from": start, "created_to": end}
    return LabelFilter(**values)


@transaction.atomic
def rule_windows_close(*, rule_id: int, now: datetime | None = None) -> int:
    """Draw every whole window of a window rule that ended by `now` (catching up on windows a
    stopped beat missed). Returns how many labels were sent. A paused rule skips its windows.

    Locking: the rule row FOR UPDATE, so two beats closing the same window draw it once."""
    rule = AutomationRule.objects.select_for_update().get(pk=rule_id)
    if rule.mode != AutomationRule.Mode.WINDOW or rule.window_started_at is None:
        return 0
    now = timezone.localtime(now or timezone.now())
    windows = windows_between(rule.window_started_at, now, rule.window)
    if not windows:
        return 0
    sent = seen = 0
    if not rule.paused:
        kind = kinds.get(rule.label_kind)
        condition = rule_q(
            label_kind=rule.label_kind,
            stored=rule.label_filter,
            high_stakes=rule.high_stakes,
            confidence_min=rule.confidence_min,
            confidence_max=rule.confidence_max,
        )
        time_path = kind.lookup("labeled_at")
        for start, end in windows:
            ids = list(
                kind.model.objects.filter(
                    condition, **{f"{time_path}__gte": start, f"{time_path}__lt": end}
                )
                .order_by("id")
                .values_list("id", flat=True)
            )
            if not ids:
                continue
            n = min(rule.per_window, len(ids))
            drawn = sampling.simple_random(len(ids), n, seed=rule.seed + int(start.timestamp()))
            stratum = window_name(start, rule.window)
            picks = [
                Drawn(ids[i], stratum, float(pi))
                for i, pi in zip(drawn.index, drawn.inclusion_probability, strict=True)
            ]
            seen += len(ids)
            if rule.action == AutomationRule.Action.CRITIC:
                critic_judge_picked(rule=rule, label_ids=[d.label_id for d in picks])
                sent += len(picks)
            elif rule.action == AutomationRule.Action.REDTEAM:
                suite_rerun_after_picks(rule=rule, label_ids=[d.label_id for d in picks])
                sent += len(picks)
            elif rule.sample_id is not None:
                sent += sample_extend(sample=rule.sample, drawn=picks, population_added=len(ids))
    rule.window_started_at = windows[-1][1]
    rule.save(update_fields=["window_started_at"])
    AutomationRule.objects.filter(pk=rule.pk).update(
        labels_seen=F("labels_seen") + seen, labels_sent=F("labels_sent") + sent
    )
    return sent


@transaction.atomic
def schedule_run(*, schedule_id: int, now: datetime | None = None) -> int:
    """One run of a scheduled draw: the window is [the end of the last window, or one window
    back, to the start of the current window); draw `n` from it with the schedule's design and
    add it to the schedule's sample. A window already drawn is not drawn again. Returns how many
    labels were added. Raises DomainError when the schedule's filter no longer applies."""
    schedule = DrawSchedule.objects.select_for_update().get(pk=schedule_id)
    now = timezone.localtime(now or timezone.now())
    end = window_start(now, schedule.window)
    start = end - WINDOW_LENGTH[schedule.window]
    if schedule.drawn_until is not None:
        start = max(start, schedule.drawn_until)
    schedule.last_run_at = timezone.now()
    if schedule.paused or start >= end:
        schedule.save(update_fields=["last_run_at"])
        return 0
    where = _in_window(schedule.label_filter, start, end)
    try:
        population = population_load(
            kind=schedule.label_kind,
            where=where,
            strata_fields=tuple(schedule.strata) or ("principle",),
        )
    except ValueError as error:
        raise DomainError(str(error)) from None
    added = 0
    if len(population):
        n, seed = min(schedule.n, len(population)), schedule.seed + int(start.timestamp())
        try:
            if schedule.strategy == DrawSchedule.Strategy.STRATIFIED:
                drawn = sampling.stratified(population.strata, n, seed=seed, method="proportional")
            else:
                drawn = sampling.simple_random(len(population), n, seed=seed)
        except ValueError as error:  # a design that cannot give every label a chance
            raise DomainError(str(error)) from None
        prefix = window_name(start, schedule.window)
        picks = [
            Drawn(
                int(population.ids[i]),
                f"{prefix}|{population.stratum_names[population.strata[i]]}",
                float(pi),
            )
            for i, pi in zip(drawn.index, drawn.inclusion_probability, strict=True)
        ]
        added = sample_extend(sample=schedule.sample, drawn=picks, population_added=len(population))
    schedule.drawn_until = end
    schedule.save(update_fields=["last_run_at", "drawn_until"])
    return added


def window_population(*, stored: dict, label_kind: str, start: datetime, end: datetime) -> int:
    """How many labels of `label_kind` match `stored` in [start, end) (for pages and tests)."""
    return label_queryset(label_kind, _in_window(stored, start, end)).count()
