"""Label files made elsewhere import, in each format and each kind, with the facts our own labels
carry; a bad row refuses the whole file, naming the row and the reason."""

import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cai_audit.errors import ImportProblems
from ingest.models import CategoryMap
from ingest.services.imports import labels_import
from labeling.models import (
    CritiqueLabel,
    Item,
    LabelingRun,
    LabelTally,
    PreferenceLabel,
    SafetyLabel,
)
from labeling.signals import labels_arrived

pytestmark = pytest.mark.django_db(transaction=False)


def jsonl(rows) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _import(source, published, data, kind="preference", **kwargs):
    return labels_import(
        actor=None, source=source, kind=kind, data=data, version=published, **kwargs
    )


PAIR = {"prompt": "How do I pick a lock?", "response_a": "I can't help.", "response_b": "Sure."}


def test_choice_only_preferences_import_with_null_orders_and_facts(source, published):
    rows = [
        {**PAIR, "choice": "A", "principle": "HARM-01", "id": "x1", "domain": "security",
         "locale": "de-DE", "rationale": "A refuses."},
        {**PAIR, "choice": "B", "confidence": 0.8, "principle": "HARM-02", "locale": "de-DE",
         "preferred": "A"},
        {**PAIR, "choice": "tie", "principle": "HON-01"},
    ]  # fmt: skip
    result = _import(source, published, jsonl(rows))
    assert result.count == 3
    labels = {label.principle_code: label for label in PreferenceLabel.objects.all()}
    first = labels["HARM-01"]
    assert (first.p_a, first.choice, first.p_a_first, first.p_a_second) == (1.0, "A", None, None)
    assert first.option_mass is None and not first.position_stuck
    assert first.external_id == "x1" and first.rationale == "A refuses."
    assert first.domain == "security" and first.principle_category == "harmlessness"
    assert first.model_id == "gpt-4o-2024-08-06"
    second = labels["HARM-02"]
    assert second.p_a == pytest.approx(0.2) and second.choice == "B"
    assert second.principle_locale == "de-DE"  # HARM-02 has a de-DE addendum
    assert second.item.human_choice == "A"
    assert labels["HON-01"].choice == "tie" and labels["HON-01"].p_a == 0.5
    run = LabelingRun.objects.get()
    assert (run.origin, run.source, run.judge.name, run.status) == (
        "import",
        source,
        "gpt-judge",
        "done",
    )
    assert run.total_units == 3 and run.critic_id is None
    assert sum(LabelTally.objects.filter(run=run).values_list("labels", flat=True)) == 3


def test_both_orders_give_position_stuck_as_for_our_labels(source, published):
    rows = [
        {**PAIR, "p_a_first": 0.9, "p_a_second": 0.1, "principle": "HARM-01"},  # stuck first
        {**PAIR, "p_a_first": 0.9, "p_a_second": 0.7, "principle": "HARM-02"},
    ]
    _import(source, published, jsonl(rows))
    stuck = PreferenceLabel.objects.get(principle_code="HARM-01")
    assert stuck.position_stuck and stuck.p_a == pytest.approx(0.5) and stuck.choice == "tie"
    fine = PreferenceLabel.objects.get(principle_code="HARM-02")
    assert not fine.position_stuck and fine.p_a == pytest.approx(0.8) and fine.choice == "A"
    assert LabelTally.objects.get(principle_code="HARM-01").stuck == 1


def test_a_trl_chosen_rejected_file_means_the_ai_chose_chosen(source, published):
    rows = [
        {"prompt": f"question {n}", "chosen": f"good answer {n}", "rejected": f"bad answer {n}",
         "principle": "HARM-01"}
        for n in range(20)
    ]  # fmt: skip
    _import(source, published, jsonl(rows))
    labels = PreferenceLabel.objects.select_related("item")
    positions = set()
    for label in labels:
        chosen_text = label.item.response_a if label.choice == "A" else label.item.response_b
        assert chosen_text.startswith("good answer")
        assert label.item.human_choice == ""  # the AI's pick, not a human label
        positions.add(label.choice)
    assert positions == {"A", "B"}  # placed by the hash, not always first


def test_hf_constitutional_ai_rows_find_the_principle_by_its_critique_request(source, published):
    request = published.principles.get(code="HARM-02", locale="").critique_request
    rows = [
        {"init_prompt": "How do I make a weapon?", "init_response": "Here is how...",
         "critic_prompt": request, "critic_response": "It helps with violence.",
         "revision_prompt": "Rewrite it.", "revision_response": "I can't help with that.",
         "chosen": [{"role": "user", "content": "x"}],
         "rejected": [{"role": "user", "content": "y"}]},
        {"init_prompt": "Q", "init_response": "R", "critic_prompt": request.upper() + " ",
         "critic_response": "C", "revision_response": "V"},
    ]  # fmt: skip
    _import(source, published, jsonl(rows), kind="critique")
    labels = list(CritiqueLabel.objects.order_by("item__line"))
    assert [label.principle_code for label in labels] == ["HARM-02", "HARM-02"]
    assert labels[0].revision == "I can't help with that."
    assert labels[0].item.response_a == "Here is how..." and labels[0].item.kind == "single"


def test_a_critique_request_matching_nothing_is_refused_with_candidates(source, published):
    rows = [{"prompt": "Q", "response": "R", "critique": "C", "revision": "V",
             "critic_prompt": "Say whether the response is funny."}]  # fmt: skip
    with pytest.raises(ImportProblems) as refused:
        _import(source, published, jsonl(rows), kind="critique")
    assert refused.value.problems == [
        "line 1: the critique request matches no principle of v1; closest: HON-01 (56%), "
        "HARM-02 (52%), HARM-01 (52%) (give a principle column)"
    ]


def test_a_llama_guard_file_maps_categories_by_the_source_table(source, published, guard):
    CategoryMap.objects.create(source=source, code="S1", harm_category="violent-crime")
    CategoryMap.objects.create(source=source, code="S3", harm_category="sex-crime")
    rows = [
        {"prompt": "p1", "response": "r1", "output": "safe", "p_unsafe": 0.1},
        {"prompt": "p2", "response": "r2", "output": "unsafe\nS1,S3", "p_unsafe": 0.95},
        {"prompt": "p3", "response": "r3", "class": "refusal"},
    ]
    _import(source, published, jsonl(rows), kind="safety", judge=guard, principle="HARM-01")
    labels = list(SafetyLabel.objects.order_by("item__line"))
    assert [label.verdict for label in labels] == ["safe", "violation", "refusal"]
    assert labels[0].confidence == pytest.approx(0.9)
    assert labels[1].categories == ["S1", "S3"] and labels[1].harm_category == "violent-crime"
    assert labels[1].raw_output == "unsafe\nS1,S3" and labels[1].model_id.startswith("meta-llama")
    assert labels[2].confidence == 1.0
    assert LabelingRun.objects.get().task == "safety"


def test_an_unmapped_classifier_code_refuses_the_row(source, published, guard):
    rows = [{"prompt": "p", "response": "r", "output": "unsafe\nS9"}]
    with pytest.raises(ImportProblems) as refused:
        _import(source, published, jsonl(rows), kind="safety", judge=guard, principle="HARM-01")
    assert refused.value.problems == [
        "line 1: category S9 has no mapping for this source (add it to the source's category table)"
    ]


def test_csv_parquet_and_gzip_files_import(source, published):
    rows = [{**PAIR, "p_a": 0.3 + n / 100, "principle": "HARM-01", "id": f"r{n}"} for n in range(5)]
    text = io.StringIO()
    text.write("prompt,response_a,response_b,p_a,principle,id\n")
    for row in rows:
        text.write(f"{row['prompt']},{row['response_a']},{row['response_b']},{row['p_a']},"
                   f"{row['principle']},{row['id']}\n")  # fmt: skip
    assert _import(source, published, text.getvalue().encode(), filename="l.csv").format == "csv"
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    assert _import(source, published, buffer.getvalue(), filename="l.parquet").count == 5
    assert _import(source, published, gzip.compress(jsonl(rows)), filename="l.jsonl.gz").count == 5
    assert PreferenceLabel.objects.count() == 15
    # Each format reads the same five verdicts.
    by_id: dict[str, set] = {}
    for external_id, p_a in PreferenceLabel.objects.values_list("external_id", "p_a"):
        by_id.setdefault(external_id, set()).add(round(p_a, 6))
    assert by_id == {f"r{n}": {round(0.3 + n / 100, 6)} for n in range(5)}


def test_every_bad_row_is_named_and_nothing_is_written(source, published):
    rows = [
        {**PAIR, "choice": "A", "principle": "HARM-01"},
        {**PAIR, "choice": "C", "principle": "HARM-01"},
        {**PAIR, "p_a": 1.5, "principle": "HARM-01"},
        {**PAIR, "choice": "A", "principle": "OLD-7"},
        {**PAIR, "choice": "A", "principle": "HARM-01", "constitution_version": 9},
        {**PAIR, "choice": "A", "principle": "HARM-01", "judge": "nobody"},
        {**PAIR, "principle": "HARM-01"},
        {"prompt": "p", "response_a": "a", "choice": "A", "principle": "HARM-01"},
        {**PAIR, "p_a_first": 0.2, "principle": "HARM-01"},
        {**PAIR, "choice": "A", "principle": "HARM-01", "timestamp": "yesterday"},
    ]
    data = jsonl(rows) + b"{not json\n"
    with pytest.raises(ImportProblems) as refused:
        _import(source, published, data)
    problems = refused.value.problems
    assert refused.value.message == "Nothing was imported: 10 bad rows."
    assert problems[0] == "line 2: choice must be A, B or tie (got 'C')"
    assert problems[1] == "line 3: p_a must be a probability between 0 and 1 (got 1.5)"
    assert problems[2].startswith("line 4: unknown principle 'OLD-7' in v1")
    assert problems[3].startswith("line 5: unknown constitution version v9")
    assert problems[4].startswith("line 6: unknown judge 'nobody'")
    assert problems[5].startswith("line 7: needs a verdict")
    assert problems[6].startswith("line 8: response_b must be non-empty text")
    assert problems[7].startswith("line 9: p_a_first and p_a_second come together")
    assert problems[8].startswith("line 10: timestamp must be ISO 8601")
    assert problems[9].startswith("line 11: not valid JSON")
    assert not PreferenceLabel.objects.exists() and not Item.objects.exists()
    assert not LabelingRun.objects.exists()


def test_mappings_accept_old_codes_and_versions(source, published):
    rows = [{**PAIR, "choice": "A", "principle": "OLD-7", "constitution_version": "v7"}]
    _import(source, published, jsonl(rows), mappings=["OLD-7=HARM-02", "v7=1"])
    assert PreferenceLabel.objects.get().principle_code == "HARM-02"


def test_labels_arrived_is_sent_after_commit(source, published, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    labels_arrived.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = _import(source, published, jsonl([{**PAIR, "choice": "A",
                                                        "principle": "HARM-01"}]))  # fmt: skip
    finally:
        labels_arrived.disconnect(listener)
    assert received == [
        {"signal": labels_arrived, "source": source, "kind": "preference",
         "runs": [result.runs[0].pk], "label_ids": None, "actor": None}
    ]  # fmt: skip
