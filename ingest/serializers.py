"""API input and output of the ingest app."""

from django.conf import settings
from rest_framework import serializers

from cai_audit.uploads import upload_size_check

from .formats.reading import FORMATS
from .formats.rows import KINDS


class LabelImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JSONL, CSV or Parquet; JSONL and CSV may be gzipped.")
    source = serializers.SlugField(max_length=64, help_text="The label source's key.")
    kind = serializers.ChoiceField(choices=KINDS)
    judge = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    constitution = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    version = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    principle = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    mappings = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text="OLD=NEW mappings separated by spaces or commas: OLD-7=HARM-02 v1=2.",
    )  # fmt: skip
    format = serializers.ChoiceField(choices=FORMATS, required=False)

    def validate_file(self, upload):
        upload_size_check(upload, limit=settings.CAI_IMPORT_LABELS_MAX_BYTES)
        return upload


class LabelImportResultSerializer(serializers.Serializer):
    item_set = serializers.IntegerField(source="item_set.pk")
    runs = serializers.SerializerMethodField()
    count = serializers.IntegerField()
    format = serializers.CharField()

    def get_runs(self, result) -> list[int]:
        return [run.pk for run in result.runs]


class RowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based position of the row in the batch.")
    status = serializers.ChoiceField(choices=["created", "duplicate", "error"])
    id = serializers.CharField()
    label_id = serializers.IntegerField(allow_null=True)
    errors = serializers.ListField(child=serializers.CharField())


class IngestResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
    results = RowResultSerializer(many=True)
