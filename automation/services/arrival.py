"""Applying the active rules of a kind to labels as they arrive (the labels_arrived receiver).

Set-based: one query reads every arrived label's id and, for each active rule, whether the rule
matches it (a CASE per rule, evaluated by the database); Poisson picks are a hash per matching id
(automation.designs); a second query reads the facts of the picked labels only; each rule then
appends its picks to its sample in a few bulk statements, and the counters grow last.
A delivery a rule has already applied is recognised by its digest and skipped (re-entrant).
"""

import hashlib
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, BooleanField, Case, F, Value, When

from labeling import kinds
from reviews.services.extend import Drawn, sample_extend, samples_grow

from ..designs import poisson_unit
from ..filters import rule_q
from ..models import AutomationRule, RuleArrival
from .actions import critic_judge_picked, suite_rerun_after_picks

logger = logging.getLogger(__name__)
CHUNK = 20_000  # labels read per query when a whole file arrived


def arrival_digest(kind: str, runs: Iterable[int], label_ids: Iterable[int] | None) -> str:
    """What identifies a delivery: the kind, its runs and its labels (or every label of the
    runs)."""
    text = f"{kind}|{sorted(runs)}|{'all' if label_ids is None else sorted(label_ids)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _flag(kind, rule: AutomationRule):
    """Whether `rule` matches a label, as an expression (a rule with no filter matches all)."""
    condition = rule_q(
        label_kind=kind.key,
        stored=rule.label_filter,
        high_stakes=rule.high_stakes,
        confidence_min=rule.confidence_min,
        confidence_max=rule.confidence_max,
    )
    if not condition:
        return Value(True, output_field=BooleanField())
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _rows(kind, rules, runs, label_ids):
    """The arrived labels, in id order and chunked, as dicts: id and rule_<pk> (whether that
    rule matches the label)."""
    flags = {f"rule_{rule.pk}": _flag(kind, rule) for rule in rules}
    if label_ids is not None:
        # By id alone, and the runs checked here: with the run in the WHERE clause the planner
        # may scan the whole run (a stream run grows by every batch) through its run index.
        runs = set(runs)
        labels = kind.model.objects.annotate(**flags).order_by("id")
        labels = labels.values("id", "run_id", *flags)
        ids = sorted(label_ids)
        for start in range(0, len(ids), CHUNK):
            for row in labels.filter(id__in=ids[start : start + CHUNK]):
                if row.pop("run_id") in runs:
                    yield row
        return
    labels = kind.model.objects.filter(run_id__in=list(runs)).annotate(**flags)
    labels = labels.order_by("id").values("id", *flags)
    last = 0
    while True:
        rows = list(labels.filter(id__gt=last)[:CHUNK])
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1]["id"]


def _facts(kind, label_ids: list[int]) -> dict[int, dict]:
    """The facts a sampled label copies (labeling.kinds `facts()`) of the picked labels only (a
    rule's rate picks a few of those that arrive), label id -> fact name -> value."""
    # Aliased: a fact named like a field of the label table may not be annotated as itself.
    columns = {f"fact_{name}": F(lookup) for name, lookup in kind.facts().items()}
    facts = {}
    for start in range(0, len(label_ids), CHUNK):
        chunk = label_ids[start : start + CHUNK]
        for row in kind.model.objects.filter(id__in=chunk).values("id", **columns):
            label_id = row.pop("id")
            facts[label_id] = {name.removeprefix("fact_"): value for name, value in row.items()}
    return facts


def _counts_add(seen: dict[int, int], sent: dict[int, int]) -> None:
    """Grow every rule's seen and sent counts in one UPDATE (a CASE per count)."""

    def by_rule(counts: dict[int, int]) -> Case:
        return Case(
            *(When(pk=pk, then=Value(n)) for pk, n in counts.items()),
            default=Value(0),
            output_field=BigIntegerField(),
        )

    AutomationRule.objects.filter(pk__in=list(seen)).update(
        labels_seen=F("labels_seen") + by_rule(seen), labels_sent=F("labels_sent") + by_rule(sent)
    )


def _apply(label_kind, runs: list[int], label_ids: list[int] | None) -> dict:
    kind = label_kind.key
    with transaction.atomic():
        rules = list(
            AutomationRule.objects.select_related("sample__queue", "critic", "created_by", "suite")
            .filter(label_kind=kind, paused=False, mode=AutomationRule.Mode.POISSON)
            .order_by("pk")
        )
        if not rules:
            return {}
        digest = arrival_digest(kind, runs, label_ids)
        done = set(
            RuleArrival.objects.filter(rule__in=rules, digest=digest).values_list(
                "rule_id", flat=True
            )
        )
        rules = [rule for rule in rules if rule.pk not in done]
        if not rules:
            return {}
        seen = {rule.pk: 0 for rule in rules}
        picked: dict[int, list[Drawn]] = {rule.pk: [] for rule in rules}
        picked_ids: set[int] = set()
        flags = [(rule, f"rule_{rule.pk}") for rule in rules]
        for row in _rows(label_kind, rules, runs, label_ids):
            label_id = row["id"]
            for rule, flag in flags:
                if not row[flag]:
                    continue
                seen[rule.pk] += 1
                if rule.rate >= 1 or poisson_unit(rule.seed, kind, label_id) < rule.rate:
                    picked[rule.pk].append(Drawn(label_id, "arrival", rule.rate))
                    picked_ids.add(label_id)
        facts = _facts(label_kind, sorted(picked_ids))
        sent, growth = {}, {}
        for rule in rules:
            added = 0
            if rule.action == AutomationRule.Action.CRITIC:
                ids = [drawn.label_id for drawn in picked[rule.pk]]
                critic_judge_picked(rule=rule, label_ids=ids)
                added = len(ids)
            elif rule.action == AutomationRule.Action.REDTEAM:
                ids = [drawn.label_id for drawn in picked[rule.pk]]
                suite_rerun_after_picks(rule=rule, label_ids=ids)
                added = len(ids)
            elif rule.sample_id is not None and seen[rule.pk]:
                added = sample_extend(
                    sample=rule.sample,
                    drawn=picked[rule.pk],
                    population_added=seen[rule.pk],
                    facts=facts,
                    queue=getattr(rule.sample, "queue", None),
                    grow_counts=False,
                )
                growth[rule.sample_id] = (seen[rule.pk], added)
            sent[rule.pk] = added
        RuleArrival.objects.bulk_create(RuleArrival(rule=rule, digest=digest) for rule in rules)
        # Counters last: concurrent deliveries wait on these rows only for the end of the
        # transaction, not for all of the rules' work.
        samples_grow(growth)
        _counts_add(seen, sent)
    return sent


def rules_apply_arrived(*, kind: str, runs: Iterable[int], label_ids: Iterable[int] | None) -> dict:
    """Apply every active Poisson rule of `kind` to the labels that arrived: each matching label
    is sent with the rule's probability p, carrying inclusion_probability p and the stratum
    "arrival"; the rule's sample grows by the matching labels seen. Returns rule id -> labels
    sent. Window rules draw when their window closes (services.windows).

    One query reads the arrived labels with every rule's verdict and the facts to copy; only the
    picked labels are kept in memory, so a whole file streams through in chunks. No row lock:
    a concurrent delivery of the same labels that commits first makes this one fail on a unique
    constraint (a sampled label, or the delivery's digest) and roll back whole, so each delivery
    is applied once."""
    try:
        return _apply(kinds.get(kind), list(runs), None if label_ids is None else list(label_ids))
    except IntegrityError:
        return {}
