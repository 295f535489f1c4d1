"""Forms of the ingest pages: a label file upload, and a source's category table."""

from django import forms
from django.conf import settings

from cai_audit.uploads import upload_size_check
from labeling.models import Judge, LabelSource

from .formats.reading import FORMATS
from .formats.rows import KINDS
from .models import CategoryMap


class LabelImportForm(forms.Form):
    file = forms.FileField(help_text="JSONL, CSV or Parquet (JSONL and CSV may be gzipped).")
    source = forms.ModelChoiceField(LabelSource.objects.all(), to_field_name="key")
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    judge = forms.ModelChoiceField(
        Judge.objects.all(),
        required=False,
        help_text="For rows naming none (default: the source's).",
    )
    version = forms.IntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text="Constitution version number (default: latest).",
    )
    principle = forms.CharField(max_length=32, required=False, help_text="For rows naming none.")
    mappings = forms.CharField(
        max_length=2000,
        required=False,
        help_text="OLD=NEW, separated by spaces: OLD-7=HARM-02 v1=2",
    )
    format = forms.ChoiceField(
        choices=[("", "Detect from the file"), *((f, f) for f in FORMATS)], required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_size_check(upload, limit=settings.CAI_IMPORT_LABELS_MAX_BYTES)
        return upload


CategoryFormSet = forms.inlineformset_factory(
    LabelSource, CategoryMap, fields=["code", "harm_category", "verdict"], extra=3, can_delete=True,
    max_num=500, validate_max=True,
)  # fmt: skip
