"""Importing a file of AI labels made elsewhere: all or nothing, streamed, one transaction."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import ImportProblems
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.text import fields_check, storable_text_problem
from cai_audit.uploads import ImportSource
from constitutions.models import ConstitutionVersion
from labeling.importing import MAX_REPORTED
from labeling.models import ItemSet, Judge, LabelingRun, LabelSource
from labeling.signals import labels_arrived

from ..formats.reading import label_rows
from ..formats.records import LabelRecord, RowProblem
from ..formats.rows import KINDS, ROW_PARSERS
from .context import row_context
from .writer import LabelWriter, run_external_create


@dataclass
class LabelImport:
    item_set: ItemSet
    runs: list[LabelingRun]
    count: int
    format: str


def _refused(count: int, problems: list[str]) -> ImportProblems:
    more = count - len(problems)
    return ImportProblems(
        f"Nothing was imported: {count} bad row{'s' if count != 1 else ''}.",
        problems=problems + ([f"... and {more} more"] if more > 0 else []),
    )


def labels_import(
    *,
    actor: AbstractBaseUser | None,
    source: LabelSource,
    kind: str,
    data: ImportSource,
    version: ConstitutionVersion,
    filename: str = "",
    fmt: str | None = None,
    judge: Judge | None = None,
    principle: str = "",
    mappings: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> LabelImport:
    """Import a JSONL, CSV or Parquet file (gzip allowed) of `kind` labels (preference, critique,
    safety; row formats in ingest/formats/rows.py) from `source` into a new item set, one run per
    (constitution version, judge). `version` is the default constitution version (rows may name
    another published version of its constitution), `judge` the default judge (else the
    source's), `principle` the default principle code, `mappings` OLD=NEW codes and versions.

    The file is read as a stream and written in chunks inside one transaction; a bad row stops
    the writing and the rest is only checked, then everything is rolled back and ImportProblems
    names each bad row (the first 50). Sends labels_arrived after commit. Raises PermissionDenied
    without IMPORT_LABELS, ImportProblems for bad rows, caps, formats and mappings."""
    permission_require(actor, permissions.IMPORT_LABELS, action="import labels")
    fields_check(filename=filename)
    if kind not in KINDS:
        raise ImportProblems("Unknown kind.", problems=[f"kind must be one of {', '.join(KINDS)}"])
    context, versions, judges = row_context(
        source=source, version=version, judge=judge, principle=principle, mappings=mappings
    )
    parse_row = ROW_PARSERS[kind]
    max_rows = settings.CAI_IMPORT_LABELS_MAX_ROWS
    with transaction.atomic():
        item_set = ItemSet.objects.create(
            name=f"Labels from {source.key}: {filename or 'upload'}"[:200],
            source_filename=filename[:255],
            created_by=user_or_none(actor),
        )
        runs: dict[tuple[int, str], LabelingRun] = {}

        def run_for(record: LabelRecord) -> LabelingRun:
            key = (record.version, record.judge)
            if key not in runs:
                runs[key] = run_external_create(
                    source=source, judge=judges[record.judge], version=versions[record.version],
                    item_set=item_set, kind=kind, origin=LabelingRun.Origin.IMPORT, actor=actor,
                )  # fmt: skip
            return runs[key]

        writer = LabelWriter(
            run_for=run_for, model_ids={name: j.model for name, j in judges.items()}
        )
        problems: list[str] = []
        bad = seen = 0
        with label_rows(
            data, fmt or None, filename=filename,
            max_bytes=settings.CAI_IMPORT_LABELS_MAX_BYTES, max_rows=max_rows,
        ) as (fmt, rows):  # fmt: skip
            for line, row, suspect in rows:
                seen += 1
                if seen > max_rows:
                    raise ImportProblems(
                        "Nothing was imported: the file has too many rows.",
                        problems=[f"the file holds more than {max_rows:,} rows; the limit is "
                                  f"{max_rows:,}"],
                    )  # fmt: skip
                try:
                    if isinstance(row, RowProblem):
                        raise row
                    if not isinstance(row, dict):
                        raise RowProblem("each line must be a JSON object")
                    if suspect and (problem := storable_text_problem(row)):
                        raise RowProblem(problem)
                    record = parse_row(row, line, context)
                except RowProblem as problem:
                    bad += 1
                    if len(problems) < MAX_REPORTED:
                        problems.append(f"line {line}: {problem}")
                    continue
                if not bad:
                    writer.add(record)
                    if progress and seen % 50_000 == 0:
                        progress(seen)
        if bad:
            raise _refused(bad, problems)
        if not seen:
            raise ImportProblems("Nothing was imported.", problems=["the file holds no rows"])
        counts = writer.finish()
        item_set.refresh_from_db(fields=["item_count"])
        audit_record(
            actor=actor,
            action="labels.imported",
            target=item_set,
            scope=f"itemset:{item_set.pk}",
            summary=f"Imported {writer.written} {kind} labels from {source.key}",
            payload={"format": fmt, "count": writer.written, "runs": sorted(counts)},
        )
        run_ids = sorted(run.pk for run in runs.values())
        transaction.on_commit(
            lambda: labels_arrived.send(
                sender=LabelSource,
                source=source,
                kind=kind,
                runs=run_ids,
                label_ids=None,
                actor=actor,
            )  # fmt: skip
        )
    return LabelImport(item_set, list(runs.values()), writer.written, fmt)
