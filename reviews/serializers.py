from rest_framework import serializers

from cai_audit.bounds import ID_MAX, bounds, limits
from cai_audit.work.serializers import QueuedJobSerializer
from labeling import kinds
from labeling.models import Judge, LabelingRun, LabelSource

from .models import (
    DRAW_PARAMETERS,
    DRAWN_STRATEGIES,
    SAMPLE_SIZE_MAX,
    Adjudication,
    GoldLabel,
    Review,
    ReviewQueue,
    ReviewSample,
    SampledLabel,
    SampleDrawJob,
)
from .population import MEASURES, STRATA_FIELDS, external_not_applicable


class ReviewSampleSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ReviewSample
        fields = [
            "id", "name", "label_kind", "strategy", "parameters", "seed", "population_size",
            "sample_size", "created_at", "created_by",
        ]  # fmt: skip


class SampleDrawJobSerializer(QueuedJobSerializer):
    """A queued active draw; `sample` is the sample it drew, once done."""

    class Meta:
        model = SampleDrawJob
        fields = [*QueuedJobSerializer.FIELDS, "name", "parameters", "sample"]
        read_only_fields = fields


class SampleDrawSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    label_kind = serializers.ChoiceField(choices=[], help_text="A registered AI-label kind.")
    strategy = serializers.ChoiceField(choices=DRAWN_STRATEGIES)
    n = serializers.IntegerField(min_value=1, max_value=SAMPLE_SIZE_MAX)
    seed = serializers.IntegerField(default=0, **bounds(ReviewSample, "seed"))
    runs = serializers.PrimaryKeyRelatedField(
        queryset=LabelingRun.objects.all(), many=True, required=False,
        help_text="Labeling runs to draw preference or critique labels from (default: all).",
    )  # fmt: skip
    redteam_runs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False,
        help_text="Red-team runs to draw verdicts from (default: all).",
    )  # fmt: skip
    judges = serializers.PrimaryKeyRelatedField(
        queryset=Judge.objects.all(), many=True, required=False,
        help_text="External judges whose labels to draw from (default: all).",
    )  # fmt: skip
    sources = serializers.PrimaryKeyRelatedField(
        queryset=LabelSource.objects.all(), many=True, required=False,
        help_text="Label sources whose labels to draw from (default: all).",
    )  # fmt: skip
    principle_codes = serializers.ListField(child=serializers.CharField(), required=False)
    domains = serializers.ListField(child=serializers.CharField(), required=False)
    locales = serializers.ListField(child=serializers.CharField(), required=False)
    strata = serializers.ListField(
        child=serializers.ChoiceField(choices=list(STRATA_FIELDS)), default=["principle"]
    )
    measure = serializers.ChoiceField(choices=MEASURES, default="least_confidence")
    allocation = serializers.ChoiceField(
        choices=["proportional", "equal", "neyman"], default="proportional"
    )
    minimum = serializers.IntegerField(default=0, **limits(DRAW_PARAMETERS["minimum"]))
    uncertainty_share = serializers.FloatField(
        default=0.5, **limits(DRAW_PARAMETERS["uncertainty_share"])
    )
    floor = serializers.FloatField(default=0.1, **limits(DRAW_PARAMETERS["floor"]))
    high_stakes_weight = serializers.FloatField(
        default=1.0, **limits(DRAW_PARAMETERS["high_stakes_weight"])
    )
    novelty_weight = serializers.FloatField(
        default=1.0, **limits(DRAW_PARAMETERS["novelty_weight"])
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_kind"].choices = kinds.choices()

    def validate(self, data):
        kind = kinds.get(data["label_kind"])
        if kind.run_model is not LabelingRun and data.get("runs"):
            raise serializers.ValidationError(
                {"runs": f"{kind.verbose_name} come from red-team runs: use redteam_runs."}
            )
        if kind.run_model is LabelingRun and data.get("redteam_runs"):
            raise serializers.ValidationError(
                {"redteam_runs": "Only red-team verdicts come from red-team runs."}
            )
        for name, dimension in (("judges", "judge"), ("sources", "source")):
            if data.get(name) and kind.lookup(dimension) is None:
                raise serializers.ValidationError({name: external_not_applicable(kind, dimension)})
        ids = data.get("redteam_runs") or []
        found = set(kind.run_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                {"redteam_runs": f"No such red-team runs: {', '.join(map(str, missing))}."}
            )
        data["redteam_runs"] = list(kind.run_model.objects.filter(pk__in=ids))
        return data


class SampledLabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = SampledLabel
        fields = ["id", "kind", "label_id", "stratum", "inclusion_probability", "score"]


class ReviewQueueSerializer(serializers.ModelSerializer):
    reviewers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = ReviewQueue
        fields = ["id", "sample", "name", "overlap", "blind", "reviewers", "claim_timeout_s",
                  "created_at"]  # fmt: skip


class QueueOpenSerializer(serializers.Serializer):
    sample = serializers.PrimaryKeyRelatedField(queryset=ReviewSample.objects.all())
    name = serializers.CharField(max_length=200, required=False, default="")
    overlap = serializers.IntegerField(default=2, **bounds(ReviewQueue, "overlap"))
    blind = serializers.BooleanField(default=True)
    reviewers = serializers.ListField(child=serializers.CharField(), min_length=1)
    claim_timeout_s = serializers.IntegerField(
        default=600, **bounds(ReviewQueue, "claim_timeout_s")
    )


class ClaimSerializer(serializers.Serializer):
    """What a reviewer sees: the AI verdict only in assisted mode."""

    slot = serializers.IntegerField()
    sampled_label = serializers.IntegerField()
    label_kind = serializers.CharField(help_text="A registered AI-label kind, e.g. preference.")
    principle_code = serializers.CharField()
    principle_text = serializers.CharField(allow_blank=True)
    prompt = serializers.JSONField(help_text="The conversation: [{role, content}].")
    response_a = serializers.CharField(
        allow_blank=True, help_text="For red-team verdicts: the target model's answer."
    )
    response_b = serializers.CharField(allow_blank=True)
    critique = serializers.CharField(allow_blank=True, required=False)
    revision = serializers.CharField(allow_blank=True, required=False)
    ai_verdict = serializers.JSONField(allow_null=True)


class ReviewInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    preference = serializers.ChoiceField(choices=Review.Preference.choices, required=False)
    safety_verdict = serializers.ChoiceField(
        choices=Review.SafetyVerdict.choices, required=False,
        help_text="For red-team verdicts (required there): how the answer behaves.",
    )  # fmt: skip
    choice = serializers.CharField(
        max_length=32, required=False,
        help_text="For kinds whose reviewers choose a class (see the label kind).",
    )  # fmt: skip
    ai_correct = serializers.BooleanField(required=False, allow_null=True, default=None)
    critique_correct = serializers.BooleanField(required=False, allow_null=True, default=None)
    revision_better = serializers.BooleanField(required=False, allow_null=True, default=None)
    principle_at_stake = serializers.CharField(max_length=32, required=False, allow_blank=True)
    corrected_revision = serializers.CharField(required=False, allow_blank=True)
    rationale = serializers.CharField(required=False, allow_blank=True)
    seconds_spent = serializers.FloatField(
        default=0.0, min_value=0, max_value=1e9, help_text="Stored as at most a day."
    )


class SlotActionSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    principle_code = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "slot", "sampled_label", "reviewer", "preference", "safety_verdict", "choice",
            "ai_correct",
            "critique_correct", "revision_better", "principle_at_stake", "corrected_revision",
            "rationale", "seconds_spent", "created_at",
        ]  # fmt: skip


class AdjudicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Adjudication
        fields = ["id", "sampled_label", "status", "created_at", "decided_at"]


class DecideSerializer(serializers.Serializer):
    ai_correct = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Required for preferences and critiques; for red-team verdicts it follows "
        "from safety_verdict.",
    )  # fmt: skip
    preference = serializers.ChoiceField(
        choices=[("", "none"), *Review.Preference.choices], default=""
    )
    safety_verdict = serializers.ChoiceField(
        choices=[("", "none"), *Review.SafetyVerdict.choices], default="",
        help_text="For red-team verdicts (required there): how the answer behaves.",
    )  # fmt: skip
    choice = serializers.CharField(
        max_length=32, default="", allow_blank=True,
        help_text="For kinds whose reviewers choose a class (see the label kind).",
    )  # fmt: skip
    rationale = serializers.CharField()


class GoldLabelSerializer(serializers.ModelSerializer):
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = GoldLabel
        fields = ["id", "sampled_label", "preference", "safety_verdict", "choice", "ai_correct",
                  "source", "rationale", "decided_by", "created_at"]  # fmt: skip
