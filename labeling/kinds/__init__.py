"""AI-label kinds, described once and registered, the way Wagtail registers comparison classes.

A kind (preference, critique, red-team verdict, ...) says which model holds its labels, which of
their fields hold the facts that sampling, dashboards and exports filter and group by, what the
AI chooses among and what reviewers answer, how `ai_correct` follows from a reviewer's answer,
what a blind reviewer may see, and what a row of the dashboards' item tables shows. Sampling,
review, the dashboards and the exports ask the registry; none of them switches on a kind's name.

Each app registers its own kinds in its `apps.py` `ready()`: labeling registers preference and
critique, redteam registers verdict. A new kind is one `register(LabelKind(...))`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db.models import Case, F, FloatField, Model, Value, When
from django.db.models.expressions import Combinable

from cai_audit.errors import DomainError

# Dimension -> the AI label lookup holding it, for labels made in a labeling-style run (principle
# facts copied onto the label, the run holding the constitution version and the critic).
COMMON_LOOKUPS = MappingProxyType(
    {
        "principle": "principle_code",
        "category": "principle_category",
        "domain": "domain",
        "locale": "locale",
        "harm_category": "harm_category",
        "high_stakes": "high_stakes",
        "version": "run__constitution_version_id",
        "critic": "run__critic_id",
        # Labels made elsewhere: the external judge and the source they came from.
        "judge": "run__judge_id",
        "source": "run__source_id",
        "labeled_at": "created_at",
    }
)
# The dimensions a kind must say how to reach (strata, filters, dashboard groups).
DIMENSIONS = tuple(COMMON_LOOKUPS)
# Uncertainty measures over a label's judge probabilities (the kinds with a confidence).
MEASURES = ("least_confidence", "margin", "entropy", "disagreement", "position_stuck")
# Why a measure may not apply to a kind.
MEASURE_NEEDS = {"disagreement": "an ensemble of critics"}


def confidence_scores() -> dict[str, Callable[[], Combinable]]:
    """The uncertainty scores of a kind whose labels carry confidence, margin, entropy and
    position_stuck (the judge's probabilities, averaged over both option orders)."""
    return {
        "least_confidence": lambda: 1.0 - F("confidence"),
        "margin": lambda: 1.0 - F("margin"),
        "entropy": lambda: F("entropy"),
        # Stuck judgments first, then the least confident of the rest.
        "position_stuck": lambda: Case(
            When(position_stuck=True, then=Value(1.0)),
            default=0.5 - F("margin") / 2.0,
            output_field=FloatField(),
        ),
    }


def verdict_answers() -> dict:
    """The LabelKind settings of a kind whose AI and reviewers both say violation, refusal or
    safe (red-team verdicts, imported safety verdicts): the class alone decides agreement, and
    the AI is right exactly when the decided class is its own."""
    from labeling.choices import VerdictClass

    classes = tuple(VerdictClass.values)
    return {
        "ai_choice_field": "verdict",
        "ai_choices": classes,
        "human_field": "safety_verdict",
        "human_choices": classes,
        "answer_required": "Say how the answer behaves under the principle: violation, refusal "
        "or safe.",
        # ai_correct follows from the class whenever the reviewer leaves it to us.
        "agreement_fields": ("safety_verdict",),
        "ai_correct_rule": lambda answer, ai_choice: answer["safety_verdict"] == ai_choice,
        "decision_sets_ai_correct": True,
    }


@dataclass(frozen=True)
class LabelKind:
    """One kind of AI label, described once.

    `model` holds the labels; `lookups` reaches a dimension from a label where the kind's differs
    from COMMON_LOOKUPS, or maps it to None where the kind's labels never have it (red-team verdicts
    are always the app's own: no external judge, no source). `ai_choice_field` is the label field
    with the AI's choice among `ai_choices` ("" for a kind with no choice, e.g. critiques);
    `human_field` is the Review / GoldLabel field with the reviewer's answer among `human_choices`
    ("" when reviewers only say whether the AI is right). `agreement_fields` are the Review fields
    on which two reviewers must agree for their answer to become gold without adjudication.
    """

    key: str
    verbose_name: str
    model: type[Model]
    lookups: Mapping[str, str] = field(default_factory=dict)
    ai_choice_field: str = ""
    ai_choices: tuple[str, ...] = ()
    human_field: str = ""
    human_choices: tuple[str, ...] = ()
    # The message when a reviewer leaves the answer out.
    answer_required: str = "Say whether the AI label is right."
    agreement_fields: tuple[str, ...] = ("ai_correct",)
    # ai_correct for a reviewer who does not grade the AI: from their answer (blind reviewers
    # never see the AI's, so they are not asked to grade it). None: they must say.
    ai_correct_rule: Callable[[dict, str], bool] | None = None
    # An adjudicated answer decides ai_correct (never both ways); else the lead says.
    decision_sets_ai_correct: bool = False
    # Uncertainty measure -> a function building its score expression on the label model. A kind
    # with none scores every label 1.0 whatever the measure (uniform chances).
    scores: Mapping[str, Callable[[], Combinable]] = field(default_factory=dict)
    # Label fields copied onto SampledLabel when drawn: SampledLabel field -> label lookup.
    confidence_field: str = ""
    position_bias: bool = False
    # AI label counts come from labeling's LabelTally (kept as labels are written); a kind
    # without tallies is counted from its own table.
    tallied: bool = False
    # What to load with a label to show it (select_related paths).
    related: tuple[str, ...] = ("run",)
    # What a reviewer sees of the labelled text: label -> {prompt, response_a, response_b,
    # critique, revision}. Never the AI's choice or confidence (blind review).
    blind_view: Callable[[Model], dict] | None = None
    # The AI's answer, for assisted review only: label -> dict.
    ai_view: Callable[[Model], dict] | None = None
    # Extra template context for the review workspace and adjudication: label -> dict.
    review_context: Callable[[Model], dict] | None = None
    # Extra columns of the dashboards' item tables: (key, title), and label -> {key: value}.
    item_columns: tuple[tuple[str, str], ...] = ()
    item_cells: Callable[[Model], dict] | None = None
    # The review workspace's partial for this kind (template path; see reviews/kinds/), and
    # how many numbered keys its answers take (0: one per human choice, or right / wrong).
    review_template: str = "reviews/kinds/generic.html"
    answer_count: int = 0
    # How the dashboards name who made the labels, and what reviewers audit.
    maker_title: str = "Critics"
    audited: str = ""

    @property
    def label(self) -> str:
        return self.verbose_name

    @property
    def has_choices(self) -> bool:
        """AI and reviewers both choose: confusion matrices, kappa and calibration apply."""
        return bool(self.ai_choice_field and self.human_field)

    @property
    def audit_subject(self) -> str:
        return self.audited or f"the AI's {self.verbose_name.lower()}"

    @property
    def answer_keys(self) -> int:
        return self.answer_count or (len(self.human_choices) if self.human_field else 2)

    @property
    def run_model(self) -> type[Model]:
        return self.model._meta.get_field("run").related_model

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(self.scores) if self.scores else MEASURES

    def lookup(self, dimension: str) -> str | None:
        """The label lookup holding `dimension`, or None when the kind's labels never have it."""
        return self.lookups.get(dimension, COMMON_LOOKUPS[dimension])

    def facts(self) -> dict[str, str]:
        """SampledLabel field -> label lookup: what a drawn label carries (AI labels never
        change), so the dashboards aggregate reviews without the label tables."""
        facts = {
            "principle_code": self.lookup("principle"),
            "principle_category": self.lookup("category"),
            "domain": self.lookup("domain"),
            "locale": self.lookup("locale"),
            "harm_category": self.lookup("harm_category"),
            "constitution_version_id": self.lookup("version"),
            "critic_id": self.lookup("critic"),
            "judge_id": self.lookup("judge"),
            "source_id": self.lookup("source"),
            "labeled_at": self.lookup("labeled_at"),
        }
        facts = {name: lookup for name, lookup in facts.items() if lookup is not None}
        if self.ai_choice_field:
            facts["ai_choice"] = self.ai_choice_field
        if self.confidence_field:
            facts["ai_confidence"] = self.confidence_field
        if self.position_bias:
            facts["position_stuck"] = "position_stuck"
        return facts

    def score(self, measure: str) -> Combinable:
        """The uncertainty score expression of `measure`; ValueError if the kind lacks it."""
        if measure not in MEASURES:
            raise ValueError(f"unknown uncertainty measure {measure!r}")
        if not self.scores:
            return Value(1.0, output_field=FloatField())
        if measure not in self.scores:
            need = MEASURE_NEEDS.get(measure, "what it scores")
            usable = ", ".join(m.replace("_", " ") for m in self.scores)
            raise ValueError(
                f"The {measure.replace('_', ' ')} measure needs {need}, which "
                f"{self.verbose_name.lower()} do not have; use {usable}."
            )
        return self.scores[measure]()

    def answer_check(self, answer: dict, *, ai_choice: str) -> dict:
        """A reviewer's answer, checked, with ai_correct filled in when it follows from it.
        Raises DomainError when the answer is missing or not one of the kind's choices."""
        answer = dict(answer)
        if self.human_field and answer.get(self.human_field) not in self.human_choices:
            raise DomainError(self.answer_required)
        if answer.get("ai_correct") is None:
            if self.ai_correct_rule is None:
                raise DomainError(self.answer_required)
            answer["ai_correct"] = self.ai_correct_rule(answer, ai_choice)
        return answer

    def decision_check(self, decision: dict, *, ai_choice: str) -> dict:
        """An adjudicated answer, checked; ai_correct follows from it where the kind says so.
        Raises DomainError when the answer the kind needs is missing."""
        decision = dict(decision)
        if self.decision_sets_ai_correct:
            if decision.get(self.human_field) not in self.human_choices:
                raise DomainError(self.answer_required)
            decision["ai_correct"] = decision[self.human_field] == ai_choice
        elif decision.get("ai_correct") is None:
            raise DomainError("Say whether the AI label is right.")
        return decision

    def blind(self, label: Model) -> dict:
        """What a blind reviewer may see of the label: the text judged, never the AI's answer."""
        view = {"prompt": [], "response_a": "", "response_b": "", "critique": "", "revision": ""}
        if self.blind_view is not None:
            view.update(self.blind_view(label))
        return view

    def ai_answer(self, label: Model) -> dict | None:
        return self.ai_view(label) if self.ai_view is not None else None

    def context(self, label: Model) -> dict:
        return self.review_context(label) if self.review_context is not None else {}

    def cells(self, label: Model) -> dict:
        return self.item_cells(label) if self.item_cells is not None else {}


_registry: dict[str, LabelKind] = {}


def register(kind: LabelKind) -> LabelKind:
    """Add a kind (from an app's `ready()`). Registering the same key twice is an error unless
    both describe the same model (ready() may run more than once in tests)."""
    known = _registry.get(kind.key)
    if known is not None and known.model is not kind.model:
        raise ValueError(f"label kind {kind.key!r} is already registered")
    unknown = set(kind.lookups) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions in {kind.key!r}: {', '.join(sorted(unknown))}")
    _registry[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Remove a kind (tests that register a toy kind for one test)."""
    _registry.pop(key, None)


def get(key: str) -> LabelKind:
    """The kind registered as `key`; DomainError listing the known kinds otherwise."""
    try:
        return _registry[key]
    except (KeyError, TypeError):
        raise DomainError(
            f"Unknown label kind {key!r}; use one of {', '.join(_registry)}."
        ) from None


def all() -> tuple[LabelKind, ...]:  # noqa: A001 - the registry's vocabulary: kinds.all()
    return tuple(_registry.values())


def keys() -> tuple[str, ...]:
    return tuple(_registry)


def choices() -> list[tuple[str, str]]:
    """(key, verbose name) of every registered kind, for model, form and serializer choices."""
    return [(kind.key, kind.verbose_name) for kind in _registry.values()]


def run_models() -> list[type[Model]]:
    """The models of the runs that make the registered kinds' labels, each once."""
    models: list[type[Model]] = []
    for kind in _registry.values():
        if kind.run_model not in models:
            models.append(kind.run_model)
    return models
