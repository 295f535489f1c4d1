"""API input and output shapes. Inputs are validated here; the writes happen in services."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from cai_audit.bounds import bounds

from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag
from .rules import PRINCIPLE_FIELDS
from .yaml_io import FORMAT


class ConstitutionOutputSerializer(serializers.ModelSerializer):
    owners = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    review_due_at = serializers.DateTimeField(read_only=True)
    review_is_due = serializers.SerializerMethodField()

    class Meta:
        model = Constitution
        fields = [
            "id",
            "name",
            "description",
            "owners",
            "review_cadence_days",
            "last_reviewed_at",
            "review_due_at",
            "review_is_due",
            "created_at",
        ]

    def get_review_is_due(self, constitution: Constitution) -> bool:
        from django.utils import timezone

        return constitution.review_due_at <= timezone.now()


class ConstitutionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    review_cadence_days = serializers.IntegerField(
        required=False, default=90, **bounds(Constitution, "review_cadence_days")
    )
    owners = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=get_user_model().objects.filter(is_active=True),
        help_text="Usernames of the people accountable for reviews.",
    )


class ConstitutionUpdateSerializer(ConstitutionInputSerializer):
    name = None
    description = serializers.CharField(required=False, allow_blank=True)
    review_cadence_days = serializers.IntegerField(
        required=False, **bounds(Constitution, "review_cadence_days")
    )


class ReleaseTagOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ReleaseTag
        fields = ["id", "version", "name", "note", "created_at", "created_by"]


class ReleaseTagInputSerializer(serializers.Serializer):
    version = serializers.PrimaryKeyRelatedField(queryset=ConstitutionVersion.objects.all())
    name = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PrincipleOutputSerializer(serializers.ModelSerializer):
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Principle
        fields = ["id", "version", *PRINCIPLE_FIELDS, "lock_version", "updated_at", "updated_by"]


class PrincipleFieldsSerializer(serializers.ModelSerializer):
    """Field-level checks (patterns, lengths) come from the model's validators."""

    class Meta:
        model = Principle
        fields = list(PRINCIPLE_FIELDS)
        validators = []  # uniqueness within the version is the service's to check


class PrincipleCreateSerializer(PrincipleFieldsSerializer):
    version = serializers.PrimaryKeyRelatedField(queryset=ConstitutionVersion.objects.all())

    class Meta(PrincipleFieldsSerializer.Meta):
        fields = ["version", *PRINCIPLE_FIELDS]


class PrincipleUpdateSerializer(PrincipleFieldsSerializer):
    lock_version = serializers.IntegerField(
        help_text="The lock_version you read. If someone saved since, you get 409 and theirs.",
        **bounds(Principle, "lock_version"),
    )

    class Meta(PrincipleFieldsSerializer.Meta):
        fields = ["lock_version", *PRINCIPLE_FIELDS]


class VersionOutputSerializer(serializers.ModelSerializer):
    constitution_name = serializers.CharField(source="constitution.name", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    published_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = ConstitutionVersion
        fields = [
            "id",
            "constitution",
            "constitution_name",
            "number",
            "status",
            "parent",
            "changelog",
            "created_at",
            "created_by",
            "published_at",
            "published_by",
            "tags",
        ]


class VersionDetailSerializer(VersionOutputSerializer):
    principles = PrincipleOutputSerializer(many=True, read_only=True)

    class Meta(VersionOutputSerializer.Meta):
        fields = [*VersionOutputSerializer.Meta.fields, "principles"]


class PublishInputSerializer(serializers.Serializer):
    changelog = serializers.CharField(help_text="What changed and why.")


class ImportInputSerializer(serializers.Serializer):
    yaml = serializers.CharField(help_text="A version document as exported by CAI Audit.")
    constitution = serializers.PrimaryKeyRelatedField(
        queryset=Constitution.objects.all(),
        required=False,
        help_text="Import into this constitution; by default the one the file names.",
    )


class TextOpSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField()
    new = serializers.JSONField()
    ops = TextOpSerializer(many=True, help_text="Word-level edit script for text fields.")


class PrincipleRecordSerializer(PrincipleFieldsSerializer):
    pass


class VersionDocumentConstitutionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True)
    review_cadence_days = serializers.IntegerField(**bounds(Constitution, "review_cadence_days"))


class VersionDocumentSerializer(serializers.Serializer):
    """A version as a YAML document: what `export` returns and `import` takes. An empty locale
    or few-shot example is left out."""

    format = serializers.ChoiceField(choices=[FORMAT])
    constitution = VersionDocumentConstitutionSerializer()
    changelog = serializers.CharField(allow_blank=True)
    principles = PrincipleRecordSerializer(many=True)


class PrincipleDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    locale = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"])
    title = serializers.CharField()
    changes = FieldChangeSerializer(many=True)
    record = PrincipleRecordSerializer(
        allow_null=True, help_text="The whole principle, for added and removed ones."
    )


class DiffCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField(help_text="Version id compared from.")
    new = serializers.IntegerField(help_text="Version id compared to.")
    counts = DiffCountsSerializer()
    principles = PrincipleDiffSerializer(many=True)
