"""Dataset snapshots: audited labels exported once, in one format, under one label policy, into
an immutable folder named by the data's SHA-256, with a manifest and a dataset card.

The export streams: labels come from a server-side cursor in chunks and rows go to disk as they
are made. Files are written into a temporary folder and moved into place only when complete, so
a failed export leaves nothing half-written behind.
"""

import json
import shutil
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.version import code_version
from cai_audit.work.jobs import ProgressReport
from labeling.filters import LabelFilter

from .. import formats, writers
from ..cards import dataset_card
from ..models import DatasetSnapshot
from ..queries import TRAINING_COLUMNS, records

EXPORT = permissions.EXPORT_DATASET
DATA_FILES = {
    "audit_parquet": "data.parquet",
    "audit_csv": "data.csv",
}  # every other format: data.jsonl
FILES = ("README.md", "manifest.json", "provenance.jsonl")


def label_kind_of(fmt: str, label_kind: str = "") -> str:
    if fmt in formats.PREFERENCE_FORMATS:
        return "preference"
    if fmt in formats.CRITIQUE_FORMATS:
        return "critique"
    if label_kind not in ("preference", "critique"):
        raise DomainError("The audit record export needs a label kind: preference or critique.")
    return label_kind


def snapshot_request_check(*, fmt: str, policy: str, label_kind: str, min_confidence: float) -> str:
    """The label kind of an export as asked for, or DomainError for what it cannot use."""
    kind = label_kind_of(fmt, label_kind)
    _validate(fmt, policy, kind, min_confidence)
    return kind


def _validate(fmt: str, policy: str, kind: str, min_confidence: float) -> None:
    if fmt not in DatasetSnapshot.Format.values:
        raise DomainError(f"Unknown format {fmt!r}.")
    if policy not in DatasetSnapshot.Policy.values:
        raise DomainError(f"Unknown label policy {policy!r}.")
    if not 0.0 <= min_confidence <= 1.0:
        raise DomainError("The minimum confidence is a probability between 0 and 1.")
    if kind == "critique" and policy == "ai_confident" and min_confidence > 0:
        raise DomainError("Critique labels carry no confidence: use a minimum of 0.")


# A snapshot records its filter under the names its form, API and command take (the manifest
# and the dataset card show it to the people who use the data); other fields keep their names.
RECORDED_NAMES = {"locales": "locale", "created_from": "labeled_from", "created_to": "labeled_to"}


def filters_record(where: LabelFilter) -> dict:
    """The filter as a snapshot records it: one locale as a string, as the forms take it."""
    record = {RECORDED_NAMES.get(name, name): value for name, value in where.as_dict().items()}
    if len(record.get("locale", ())) == 1:
        record["locale"] = record["locale"][0]
    return record


class _Stats:
    """What the dataset card reports, counted while the rows stream past."""

    def __init__(self):
        self.labels = self.kept = self.rows = 0
        self.sources: Counter = Counter()
        self.principles: Counter = Counter()
        self.versions: Counter = Counter()
        self.audited = self.ai_right = 0

    def add(self, record: dict, decision, rows: int) -> None:
        self.labels += 1
        if rows == 0:
            return
        self.kept += 1
        self.rows += rows
        self.sources[decision.source if decision else ""] += 1
        self.principles[record["principle_code"]] += 1
        self.versions[record["version_id"]] += 1
        if record["gold_ai_correct"] is not None:
            self.audited += 1
            self.ai_right += record["gold_ai_correct"]

    def as_dict(self) -> dict:
        from stats import wilson_interval

        agreement = wilson_interval(self.ai_right, self.audited)
        return {
            "labels_matched": self.labels,
            "labels_kept": self.kept,
            "rows": self.rows,
            "label_sources": {k: v for k, v in self.sources.items() if k},
            "principles": dict(sorted(self.principles.items())),
            "constitution_versions": {str(k): v for k, v in sorted(self.versions.items())},
            "audited": self.audited,
            "ai_agreement_with_gold": None if not self.audited else {
                "value": agreement.value, "low": agreement.low, "high": agreement.high,
            },
        }  # fmt: skip


#: Labels exported between two progress reports.
REPORT_EVERY = 5000


def _export(
    folder: Path, fmt: str, kind: str, policy: str, where, min_confidence,
    report: ProgressReport | None = None,
) -> _Stats:  # fmt: skip
    data = folder / DATA_FILES.get(fmt, "data.jsonl")
    if fmt == "audit_parquet":
        out = writers.ParquetWriter(data, writers.audit_schema())
    elif fmt == "audit_csv":
        out = writers.CsvWriter(data, formats.AUDIT_COLUMNS)
    else:
        out = writers.JsonlWriter(data)
    provenance = writers.JsonlWriter(folder / "provenance.jsonl")
    stats = _Stats()
    try:
        columns = None if fmt in formats.AUDIT_FORMATS else TRAINING_COLUMNS[kind]
        for record in records(kind, where, columns):
            if report is not None and stats.labels % REPORT_EVERY == 0:
                report(stats.labels, 0, "Exporting labels")
            if kind == "preference":
                decision = formats.decide_preference(record, policy, min_confidence)
            else:
                decision = formats.decide_revision(record, policy)
            if fmt in formats.AUDIT_FORMATS:
                out.write(formats.audit_row(record, decision))
                stats.add(record, decision, 1)
                continue
            if decision is None:
                stats.add(record, None, 0)
                continue
            rows = formats.training_rows(fmt, record, decision)
            for row in rows:
                out.write(row)
                provenance.write(
                    {"row": stats.rows, "label_id": record["label_id"],
                     "principle_code": record["principle_code"],
                     "constitution_version_id": record["version_id"],
                     "run_id": record["run_id"], "source": decision.source,
                     "ai_confidence": record.get("confidence"),
                     "gold_source": record["gold_source"]}
                )  # fmt: skip
            stats.add(record, decision, len(rows))
    finally:
        out.close()
        provenance.close()
    return stats


def snapshot_create(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    fmt: str,
    policy: str,
    where: LabelFilter | None = None,
    min_confidence: float = 0.0,
    label_kind: str = "",
    report: ProgressReport | None = None,
) -> DatasetSnapshot:
    """Export the labels matching `where` as a new snapshot; `report` hears how many labels are
    read (pages and the API queue the export: services/exports.py). Raises PermissionDenied, and
    DomainError for a format, policy or confidence it cannot use or when nothing matches."""
    permission_require(actor, EXPORT, action="export datasets")
    kind = label_kind_of(fmt, label_kind)
    _validate(fmt, policy, kind, min_confidence)
    where = where or LabelFilter()
    root = Path(settings.SNAPSHOT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f".partial-{uuid.uuid4().hex}"
    temporary.mkdir()
    try:
        stats = _export(temporary, fmt, kind, policy, where, min_confidence, report)
        if stats.kept == 0:
            raise DomainError("No labels match this filter and policy: nothing to export.")
        data_file = DATA_FILES.get(fmt, "data.jsonl")
        sha256 = writers.file_sha256(temporary / data_file)
        with transaction.atomic():
            snapshot = DatasetSnapshot.objects.create(
                name=name.strip() or f"{fmt} snapshot",
                format=fmt,
                label_kind=kind,
                policy=policy,
                min_confidence=min_confidence,
                filters=filters_record(where),
                sha256=sha256,
                rows=stats.rows,
                size_bytes=(temporary / data_file).stat().st_size,
                stats=stats.as_dict(),
                folder="",
                data_file=data_file,
                created_by=user_or_none(actor),
            )
            manifest = _manifest(snapshot)
            (temporary / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            (temporary / "README.md").write_text(dataset_card(snapshot, manifest))
            snapshot.folder = f"{snapshot.pk:06d}-{sha256[:12]}"
            snapshot.save(update_fields=["folder"])
            temporary.rename(root / snapshot.folder)
            audit_record(
                actor=actor,
                action="snapshot.created",
                target=snapshot,
                scope=f"snapshot:{snapshot.pk}",
                summary=f"Exported {snapshot.rows} rows as {fmt} ({policy}), sha256 {sha256[:12]}",
                payload={"filters": snapshot.filters, "stats": snapshot.stats},
            )
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return snapshot


def _manifest(snapshot: DatasetSnapshot) -> dict:
    from constitutions.models import ConstitutionVersion

    version_ids = [int(v) for v in snapshot.stats["constitution_versions"]]
    versions = ConstitutionVersion.objects.filter(pk__in=version_ids).select_related("constitution")
    return {
        "snapshot": snapshot.pk,
        "name": snapshot.name,
        "format": snapshot.format,
        "label_kind": snapshot.label_kind,
        "policy": snapshot.policy,
        "min_confidence": snapshot.min_confidence,
        "filters": snapshot.filters,
        "data_file": snapshot.data_file,
        "sha256": snapshot.sha256,
        "rows": snapshot.rows,
        "size_bytes": snapshot.size_bytes,
        "created_at": timezone.localtime(snapshot.created_at).isoformat(),
        "created_by": snapshot.created_by.get_username() if snapshot.created_by else None,
        "code_version": code_version(),
        "constitution_versions": [
            {"id": v.pk, "constitution": v.constitution.name, "number": v.number} for v in versions
        ],
        "stats": snapshot.stats,
    }


def snapshot_path(snapshot: DatasetSnapshot, name: str) -> Path:
    """A file of the snapshot by name (its data file or one of FILES), or DomainError."""
    if name not in (*FILES, snapshot.data_file):
        raise DomainError(f"A snapshot has no file {name!r}.")
    return Path(settings.SNAPSHOT_DIR) / snapshot.folder / name
