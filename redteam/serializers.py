"""Explicit input and output shapes of the red-team API."""

import math

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cai_audit.bounds import bounds
from cai_audit.uploads import upload_size_check
from constitutions.models import ConstitutionVersion
from labeling.models import CriticConfig

from .models import Matchup, Response, Run, Suite
from .mutations import OPERATORS

OPERATOR_HELP = f"Mutation operators, any of: {', '.join(OPERATORS)}."


def _temperature() -> serializers.FloatField:
    return serializers.FloatField(**bounds(Response, "temperature"))


def _number(x) -> float | None:
    """JSON has no NaN: an undefined rate (no cases) is null."""
    return None if x is None or math.isnan(x) else float(x)


def estimate_data(estimate) -> dict:
    return {
        "value": _number(estimate.value),
        "low": _number(estimate.low),
        "high": _number(estimate.high),
        "n": estimate.n,
    }


class RedteamEstimateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Null when there are no cases.")
    low = serializers.FloatField(allow_null=True, help_text="95% Wilson interval.")
    high = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(help_text="Judged answers counted.")


def _breakdowns() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.DictField(child=RedteamEstimateSerializer()),
        help_text="Breakdown (category, operator, principle, temperature) -> key -> rate.",
    )


class SuiteSerializer(serializers.ModelSerializer):
    seeds = serializers.IntegerField(read_only=True)
    variants = serializers.IntegerField(read_only=True)
    run_count = serializers.IntegerField(read_only=True)
    regression_operators = serializers.ListField(child=serializers.CharField(), read_only=True)
    regression_temperatures = serializers.ListField(child=serializers.FloatField(), read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Suite
        fields = [
            "id", "name", "description", "seeds", "variants", "run_count", "run_on_publish",
            "run_on_release", "regression_target", "regression_judge", "regression_operators",
            "regression_temperatures", "created_at", "created_by",
        ]  # fmt: skip


class SuiteImportSerializer(serializers.Serializer):
    """A file upload (multipart), or the file's text in `data` (JSON)."""

    name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True,
        help_text="Defaults to the file name.",
    )  # fmt: skip
    description = serializers.CharField(required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False, help_text="JSONL or CSV.")
    data = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The file's text, instead of `file`."
    )
    filename = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True,
        help_text="With `data`: the name whose extension (.jsonl, .csv) tells the format.",
    )  # fmt: skip

    def validate_file(self, upload):
        upload_size_check(upload, limit=settings.CAI_IMPORT_SUITE_MAX_BYTES)
        return upload

    def validate(self, attrs):
        if ("file" in attrs) == ("data" in attrs):
            raise serializers.ValidationError("Send either a file upload or its text in `data`.")
        return attrs


class SuiteSettingsSerializer(serializers.Serializer):
    run_on_publish = serializers.BooleanField()
    run_on_release = serializers.BooleanField()
    regression_target = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(), allow_null=True, required=False, default=None,
        help_text="Model configuration id; null for the shipped model.",
    )  # fmt: skip
    regression_judge = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(), allow_null=True, required=False, default=None
    )
    regression_operators = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text=OPERATOR_HELP
    )
    regression_temperatures = serializers.ListField(
        child=_temperature(), required=False, default=lambda: [0.0]
    )


class RedteamProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    answers = serializers.IntegerField()
    judged = serializers.IntegerField()
    total = serializers.IntegerField()
    batches_done = serializers.IntegerField()
    batches_failed = serializers.IntegerField()


class RedteamRunSerializer(serializers.ModelSerializer):
    operators = serializers.ListField(child=serializers.CharField(), read_only=True)
    temperatures = serializers.ListField(child=serializers.FloatField(), read_only=True)
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="queued, preparing, running, done, failed or cancelled."
    )
    trigger = serializers.CharField(read_only=True, help_text="manual, publish, release, command.")
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Run
        fields = [
            "id", "suite", "constitution_version", "target", "judge", "operators",
            "temperatures", "max_new_tokens", "seed", "case_limit", "trigger", "release_tag",
            "status", "total_units", "total_batches", "notes", "error", "created_at",
            "created_by", "started_at", "finished_at",
        ]  # fmt: skip


class RedteamRunDetailSerializer(RedteamRunSerializer):
    progress = serializers.SerializerMethodField()

    class Meta(RedteamRunSerializer.Meta):
        fields = [*RedteamRunSerializer.Meta.fields, "progress"]

    def get_progress(self, run) -> RedteamProgressSerializer:
        from .selectors import run_progress

        progress = run_progress(run).as_dict()
        # A whole percent, rounded as it always was (66.7 is 67, not 66).
        return RedteamProgressSerializer(progress | {"percent": round(progress["percent"])}).data


class RedteamRunCreateSerializer(serializers.Serializer):
    suite = serializers.PrimaryKeyRelatedField(queryset=Suite.objects.all())
    constitution_version = serializers.PrimaryKeyRelatedField(
        queryset=ConstitutionVersion.objects.all(), help_text="A published version's id."
    )
    target = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(), help_text="The model under test (configuration id)."
    )
    judge = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(), help_text="The AI judge (configuration id)."
    )
    operators = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text=OPERATOR_HELP
    )
    temperatures = serializers.ListField(
        child=_temperature(), required=False, default=lambda: [0.0]
    )
    max_new_tokens = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Default: the target's setting.",
        **bounds(Run, "max_new_tokens"),
    )  # fmt: skip
    seed = serializers.IntegerField(required=False, default=0, **bounds(Run, "seed"))
    case_limit = serializers.IntegerField(
        required=False, allow_null=True, default=None, **bounds(Run, "case_limit")
    )


class RedteamReportSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    answers = serializers.IntegerField(help_text="Judged answers.")
    violation = RedteamEstimateSerializer(help_text="Violation rate over the harmful cases.")
    false_refusal = RedteamEstimateSerializer(help_text="Refusal rate over the benign cases.")
    harmful = _breakdowns()
    benign = _breakdowns()

    @staticmethod
    def from_report(run: Run, report) -> dict:
        def table(breakdowns: dict) -> dict:
            return {
                by: {key: estimate_data(e) for key, e in rates.items()}
                for by, rates in breakdowns.items()
            }

        return {
            "run": run.pk,
            "answers": report.answers,
            "violation": estimate_data(report.violation),
            "false_refusal": estimate_data(report.false_refusal),
            "harmful": table(report.harmful),
            "benign": table(report.benign),
        }


class RedteamChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    before = RedteamEstimateSerializer()
    after = RedteamEstimateSerializer()
    difference = serializers.FloatField(allow_null=True, help_text="after - before.")
    low = serializers.FloatField(allow_null=True, help_text="95% Newcombe interval.")
    high = serializers.FloatField(allow_null=True)
    p_worse = serializers.FloatField(allow_null=True, help_text="One-sided p that it rose.")
    p_adjusted = serializers.FloatField(allow_null=True, help_text="Holm-adjusted in its table.")
    worse = serializers.BooleanField(help_text="Significantly worse at 0.05 after adjustment.")


class RedteamWorseSerializer(serializers.Serializer):
    what = serializers.CharField(help_text='e.g. "violations in category".')
    key = serializers.CharField()


class RedteamRegressionSerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text="The run compared with.")
    after = serializers.IntegerField()
    violation_by_category = RedteamChangeSerializer(many=True)
    violation_by_principle = RedteamChangeSerializer(many=True)
    violation_by_operator = RedteamChangeSerializer(many=True)
    false_refusal_by_category = RedteamChangeSerializer(many=True)
    worse = RedteamWorseSerializer(many=True)

    @staticmethod
    def from_regression(regression) -> dict:
        def change(c) -> dict:
            d = c.difference
            return {
                "key": c.key, "before": estimate_data(d.first), "after": estimate_data(d.second),
                "difference": _number(d.difference), "low": _number(d.low),
                "high": _number(d.high), "p_worse": _number(c.p_worse),
                "p_adjusted": _number(c.p_adjusted), "worse": c.worse,
            }  # fmt: skip

        names = (
            "violation_by_category", "violation_by_principle", "violation_by_operator",
            "false_refusal_by_category",
        )  # fmt: skip
        return {
            "before": regression.before.pk,
            "after": regression.after.pk,
            **{name: [change(c) for c in getattr(regression, name)] for name in names},
            "worse": [{"what": what, "key": c.key} for what, c in regression.worse],
        }


class RedteamMatchupSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="queued, done or failed.")
    win_rate = serializers.SerializerMethodField(
        help_text="P(run_x answered better), ties counting a half; null until done."
    )

    class Meta:
        model = Matchup
        fields = [
            "id", "run_x", "run_y", "judge", "status", "win_rate", "error", "created_at",
            "finished_at",
        ]  # fmt: skip

    @extend_schema_field(RedteamEstimateSerializer(allow_null=True))
    def get_win_rate(self, matchup) -> dict | None:
        """Set by the view from selectors.matchups_of (the rate needs the judgments)."""
        estimate = getattr(matchup, "win_rate", None)
        return None if estimate is None else estimate_data(estimate)


class RedteamMatchupCreateSerializer(serializers.Serializer):
    baseline = serializers.PrimaryKeyRelatedField(
        queryset=Run.objects.all(), help_text="The run to compare this one with (run_y)."
    )
    judge = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(), required=False, allow_null=True, default=None,
        help_text="The judge; default: this run's judge.",
    )  # fmt: skip
