"""Constitution versions as YAML ("constitution-as-code"). Pure: text in, plain data out.

The document holds the content of a version (constitution name and settings, changelog,
principles). Export then import then export gives the same text back. Parsing collects every
problem with its line and path before it gives up, so an author can fix a file in one go.

A file is untrusted input. Aliases (`*name`) are refused before anything is built: nine nested
aliases in 600 bytes expand to a billion values ("billion laughs"), and walking them took minutes.
Exported files never hold aliases. The size, the nesting depth and every text (NUL and unpaired
surrogates cannot be stored: cai_audit/text.py) are checked too, each problem at its line.
"""

from dataclasses import dataclass, field
from typing import Any

import yaml

from cai_audit.errors import ImportProblems
from cai_audit.text import path_label, storable_text_problems
from cai_audit.uploads import too_large

from .rules import (
    PRINCIPLE_FIELDS,
    REVIEW_CADENCE_DAYS_RANGE,
    principle_key,
    principle_problems,
    whole_number_problem,
)

FORMAT = "cai-audit/constitution@1"
MAX_BYTES = 2_000_000  # default; the service passes CAI_IMPORT_CONSTITUTION_MAX_BYTES
MAX_DEPTH = 8  # a version document nests four levels deep (document, principles, principle, text)
TOP_FIELDS = {"format", "constitution", "changelog", "principles"}
CONSTITUTION_FIELDS = {"name", "description", "review_cadence_days"}
OPTIONAL_EMPTY = ("locale", "few_shot_example")


@dataclass
class VersionDocument:
    name: str
    description: str = ""
    review_cadence_days: int = 90
    changelog: str = ""
    principles: list[dict[str, Any]] = field(default_factory=list)


class _Dumper(yaml.SafeDumper):
    pass


_UNSAFE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Block style keeps multi-line texts readable in code review; PyYAML falls back to a quoted
    # style by itself when a block scalar could not hold the text exactly.
    # Carriage returns and Unicode line separators would be normalised or folded by a block or
    # plain scalar, so such texts are written double-quoted, where they are escaped exactly.
    if any(char in value for char in _UNSAFE_BREAKS):
        style = '"'
    elif "\n" in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def version_to_yaml(document: VersionDocument, *, header: str = "") -> str:
    principles = []
    for principle in document.principles:
        entry = {}
        for name in PRINCIPLE_FIELDS:
            value = principle.get(name, "")
            if name in OPTIONAL_EMPTY and value == "":
                continue
            entry[name] = value
        principles.append(entry)
    body = {
        "format": FORMAT,
        "constitution": {
            "name": document.name,
            "description": document.description,
            "review_cadence_days": document.review_cadence_days,
        },
        "changelog": document.changelog,
        "principles": principles,
    }
    text = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + text


class _Locations:
    """Line numbers of the keys and sequence items in a composed YAML node tree."""

    def __init__(self, root: yaml.Node | None):
        self.root = root

    @staticmethod
    def line(node: yaml.Node | None) -> int:
        return node.start_mark.line + 1 if node is not None else 1

    @staticmethod
    def child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    return value_node
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            return node.value[key]
        return None

    def at(self, *path: str | int) -> int:
        node = self.root
        for step in path:
            found = self.child(node, step)
            if found is None:
                break
            node = found
        return self.line(node)

    def duplicate_keys(self) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, value_node in node.value:
                    if key_node.value in seen:
                        found.append((self.line(key_node), str(key_node.value)))
                    seen.add(key_node.value)
                    stack.append(value_node)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return sorted(found)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~30x faster
    """Safe loading; a value that cannot be built (a date such as 2024-13-45, an integer of
    5,000 digits) is a problem at its line rather than an error from deep inside PyYAML."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            reason = str(error).split(":")[0]
            raise yaml.constructor.ConstructorError(
                None, None, f"this value cannot be read ({reason})", node.start_mark
            ) from None


def _problem(message: str, line: int | None = None) -> ImportProblems:
    return ImportProblems(
        "The file is not valid YAML.", problems=[f"line {line}: {message}" if line else message]
    )


def _events_check(text: str, *, max_depth: int) -> None:
    """Refuse aliases and deep nesting from the event stream, before any node is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _problem(
                f"the alias *{event.anchor} is not allowed: write the value out in full (aliases "
                "can expand a small file into billions of values)",
                event.start_mark.line + 1,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise _problem(
                    f"nested more than {max_depth} levels deep", event.start_mark.line + 1
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load(text: str, *, max_depth: int) -> tuple[yaml.Node | None, Any]:
    try:
        _events_check(text, max_depth=max_depth)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise _problem(
            f"the character U+{error.character:04X} is not allowed in YAML", line
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise ImportProblems("The file is not valid YAML.", problems=[f"{where}{reason}"]) from None
    except RecursionError:
        raise _problem(f"nested more than {max_depth} levels deep") from None
    except UnicodeError:
        raise _problem("the text holds an unpaired surrogate, which UTF-8 cannot encode") from None
    return root, data


def parse_version_yaml(
    text: str | bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> VersionDocument:
    """Parse and validate a version document; raise ImportProblems listing every problem."""
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise too_large(limit=max_bytes, size=len(text))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportProblems(
                "File is not UTF-8.", problems=[f"byte {error.start}: not valid UTF-8"]
            ) from None
    elif len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise too_large(limit=max_bytes)
    root, data = _load(text, max_depth=max_depth)

    where = _Locations(root)
    problems: list[str] = [
        f"line {line}: key {key!r} appears twice in the same mapping"
        for line, key in where.duplicate_keys()
    ]

    def report(message: str, *path: str | int) -> None:
        label = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        label = label.replace(".[", "[")
        problems.append(f"line {where.at(*path)}, {label or 'document'}: {message}")

    if not isinstance(data, dict):
        raise ImportProblems(
            "The file does not hold a constitution version.",
            problems=[f"line 1: expected a mapping with keys {sorted(TOP_FIELDS)}"],
        )
    for path, message in storable_text_problems(data, max_depth=max_depth):
        problems.append(f"line {where.at(*path)}, {path_label(path) or 'document'}: {message}")
    for key in sorted(set(data) - TOP_FIELDS, key=str):
        report(f"unknown field {key!r}", key)
    if data.get("format") != FORMAT:
        report(f"must be {FORMAT!r} (got {data.get('format')!r})", "format")

    document = VersionDocument(name="")
    constitution = data.get("constitution")
    if not isinstance(constitution, dict):
        report("is required: a mapping with name, description, review_cadence_days", "constitution")
    else:
        for key in sorted(set(constitution) - CONSTITUTION_FIELDS, key=str):
            report(f"unknown field {key!r}", "constitution", key)
        name = constitution.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            report("is required: text of at most 200 characters", "constitution", "name")
        else:
            document.name = name
        description = constitution.get("description", "")
        if not isinstance(description, str):
            report("must be text", "constitution", "description")
        else:
            document.description = description
        cadence = constitution.get("review_cadence_days", 90)
        cadence_problem = whole_number_problem(cadence, REVIEW_CADENCE_DAYS_RANGE)
        if cadence_problem:
            report(f"{cadence_problem} days", "constitution", "review_cadence_days")
        else:
            document.review_cadence_days = cadence

    changelog = data.get("changelog", "")
    if changelog is None:
        changelog = ""
    if not isinstance(changelog, str):
        report("must be text", "changelog")
    else:
        document.changelog = changelog

    principles = data.get("principles")
    if not isinstance(principles, list) or not principles:
        report("is required: a list with at least one principle", "principles")
        principles = []
    first_seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(principles):
        if not isinstance(entry, dict):
            report("must be a mapping of principle fields", "principles", index)
            continue
        for key in sorted(set(entry) - set(PRINCIPLE_FIELDS), key=str):
            report(f"unknown field {key!r}", "principles", index, key)
        principle = {name: entry[name] for name in PRINCIPLE_FIELDS if name in entry}
        for name in OPTIONAL_EMPTY:
            if principle.get(name) is None:
                principle[name] = ""
        principle.setdefault("priority", 100)
        for name, message in principle_problems(principle):
            report(message, "principles", index, name)
        code, locale = principle.get("code"), principle.get("locale")
        if isinstance(code, str) and isinstance(locale, str):
            key = (code, locale)
            if key in first_seen:
                report(
                    f"duplicate code {principle_key(code, locale)}"
                    f" (first at principles[{first_seen[key]}])",
                    "principles",
                    index,
                    "code",
                )
            else:
                first_seen[key] = index
        document.principles.append(principle)
    global_codes = {code for code, locale in first_seen if not locale}
    for (code, locale), index in first_seen.items():
        if locale and code not in global_codes:
            report(
                f"addendum {principle_key(code, locale)} has no global principle {code}",
                "principles",
                index,
                "locale",
            )
    if problems:
        count = len(problems)
        raise ImportProblems(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found.",
            problems=problems,
        )
    return document
