"""Importing items. All or nothing: any bad row refuses the whole file and writes nothing."""

import json

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import ImportProblems
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.text import fields_check
from cai_audit.uploads import ImportSource

from ..importing import ItemRecord, parse_items
from ..models import Item, ItemSet

COLUMNS = (
    "item_set_id", "line", "kind", "external_id", "prompt", "response_a", "response_b",
    "human_choice", "domain", "harm_category", "locale", "high_stakes", "source", "metadata",
)  # fmt: skip


def _row(item_set_id: int, r: ItemRecord) -> tuple:
    return (
        item_set_id, r.line, r.kind, r.external_id, json.dumps(r.prompt), r.response_a,
        r.response_b, r.human_choice, r.domain, r.harm_category, r.locale, r.high_stakes,
        r.source, json.dumps(r.metadata),
    )  # fmt: skip


def _insert(item_set: ItemSet, records: list[ItemRecord]) -> None:
    if connection.vendor == "postgresql":
        # COPY is an order of magnitude faster than INSERT for 100k rows.
        table = Item._meta.db_table
        statement = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for record in records:
                copy.write_row(_row(item_set.pk, record))
        return
    Item.objects.bulk_create(
        (Item(item_set=item_set, **{k: getattr(r, k) for k in COLUMNS[1:]}) for r in records),
        batch_size=2000,
    )


def item_set_import(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    data: ImportSource,
    filename: str = "",
    fmt: str | None = None,
) -> ItemSet:
    """Import a JSONL or CSV file (bytes, a path or an uploaded file; gzipped or not) as a new
    item set; raise ImportProblems naming each bad line. The file is read and checked before the
    transaction opens, so a slow or refused file holds no lock (SQLite has one writer).

    Also raises PermissionDenied without the import permission, DomainError for a name or file
    name that cannot be stored, ImportProblems for an unknown format."""
    permission_require(actor, permissions.IMPORT_ITEMS, action="import items")
    fields_check(name=name, filename=filename)
    if fmt not in (None, "", "jsonl", "csv"):
        raise ImportProblems("Unknown format.", problems=[f"format must be jsonl or csv: {fmt}"])
    parsed = parse_items(
        data,
        fmt or None,
        filename=filename,
        max_bytes=settings.CAI_IMPORT_ITEMS_MAX_BYTES,
        max_rows=settings.CAI_IMPORT_MAX_ROWS,
    )
    if parsed.problem_count:
        shown = len(parsed.problems)
        more = parsed.problem_count - shown
        problems = parsed.problems + ([f"... and {more} more"] if more > 0 else [])
        raise ImportProblems(
            f"Nothing was imported: {parsed.problem_count} bad row"
            f"{'s' if parsed.problem_count != 1 else ''}.",
            problems=problems,
        )
    return _item_set_create(actor=actor, name=name, filename=filename, parsed=parsed)


@transaction.atomic
def _item_set_create(*, actor, name: str, filename: str, parsed) -> ItemSet:
    item_set = ItemSet.objects.create(
        name=(name.strip() or filename or "Imported items")[:200],
        source_filename=filename[:255],
        item_count=len(parsed.records),
        created_by=user_or_none(actor),
    )
    _insert(item_set, parsed.records)
    audit_record(
        actor=actor,
        action="items.imported",
        target=item_set,
        scope=f"itemset:{item_set.pk}",
        summary=f"Imported {item_set.item_count} items from {filename or 'upload'}",
        payload={"format": parsed.format, "count": item_set.item_count},
    )
    return item_set
