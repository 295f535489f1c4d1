"""Applying the active rules of a kind to labels as they arrive (the labels_arrived receiver).

Set-based: one query reads every arrived label's id and, for each active rule, whether the rule
matches it (a CASE per rule, evaluated by the database); Poisson picks are a hash per matching id
(automation.designs); each rule then appends its picks to its sample in a few bulk statements.
A delivery a rule has already applied is recognised by its digest and skipped (re-entrant).
"""

import hashlib
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import BooleanField, Case, F, Value, When

from labeling import kinds
from reviews.services.extend import Drawn, sample_extend

from ..designs import poisson_pick
from ..filters import rule_q
from ..models import AutomationRule, RuleArrival

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


def _matches(kind, rules, runs, label_ids):
    """(label id, [rule matches it] per rule) for the arrived labels, in id order, chunked."""
    flags = {f"rule_{rule.pk}": _flag(kind, rule) for rule in rules}
    labels = kind.model.objects.filter(run_id__in=list(runs))
    if label_ids is not None:
        ids = sorted(label_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = labels.filter(id__in=ids[start : start + CHUNK]).annotate(**flags)
            yield from chunk.order_by("id").values_list("id", *flags)
        return
    last = 0
    while True:
        chunk = labels.filter(id__gt=last).annotate(**flags).order_by("id")
        rows = list(chunk.values_list("id", *flags)[:CHUNK])
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]


def rules_apply_arrived(*, kind: str, runs: Iterable[int], label_ids: Iterable[int] | None) -> dict:
    """Apply every active Poisson rule of `kind` to the labels that arrived: each matching label
    is sent with the rule's probability p, carrying inclusion_probability p and the stratum
    "arrival"; the rule's sample grows by the matching labels seen. Returns rule id -> labels
    sent. Window rules draw when their window closes (services.windows)."""
    label_kind = kinds.get(kind)
    runs = list(runs)
    label_ids = None if label_ids is None else list(label_ids)
    with transaction.atomic():
        rules = list(
            AutomationRule.objects.select_for_update()
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
        matching: dict[int, list[int]] = {rule.pk: [] for rule in rules}
        for row in _matches(label_kind, rules, runs, label_ids):
            for rule, hit in zip(rules, row[1:], strict=True):
                if hit:
                    matching[rule.pk].append(row[0])
        sent = {}
        for rule in rules:
            seen = matching[rule.pk]
            picked = poisson_pick(rule.seed, kind, seen, rule.rate)
            added = 0
            if rule.sample_id is not None and seen:
                added = sample_extend(
                    sample=rule.sample,
                    drawn=[Drawn(i, "arrival", rule.rate) for i in picked],
                    population_added=len(seen),
                )
            AutomationRule.objects.filter(pk=rule.pk).update(
                labels_seen=F("labels_seen") + len(seen), labels_sent=F("labels_sent") + added
            )
            sent[rule.pk] = added
        RuleArrival.objects.bulk_create(RuleArrival(rule=rule, digest=digest) for rule in rules)
    return sent
