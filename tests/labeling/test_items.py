import gzip
import json

import pytest

from cai_audit.errors import ImportProblems
from labeling.demo_data import hh_rlhf_usable
from labeling.models import Item, ItemSet
from labeling.services.items import item_set_import
from tests.support.data import SHIPPED_PAIRS, SHIPPED_SINGLES, hh_rlhf_path, requires_hh_rlhf

pytestmark = pytest.mark.django_db


def test_the_shipped_pairs_import_with_prompts_replies_labels_and_facets(editor):
    item_set = item_set_import(
        actor=editor, name="demo", data=SHIPPED_PAIRS.read_bytes(), filename=SHIPPED_PAIRS.name
    )
    rows = [json.loads(line) for line in SHIPPED_PAIRS.read_text("utf-8").splitlines()]
    assert item_set.item_count == item_set.items.filter(kind="pair").count() == len(rows)
    assert not item_set.items.filter(human_choice="").exists()
    for item, row in zip(item_set.items.order_by("line"), rows, strict=True):
        chosen, rejected = (
            (item.response_a, item.response_b)
            if item.human_choice == "A"
            else (item.response_b, item.response_a)
        )
        assert (chosen, rejected) == (row["chosen"], row["rejected"])
        assert (item.domain, item.harm_category, item.locale, item.high_stakes) == (
            row["domain"], row["harm_category"], row["locale"], row["high_stakes"],
        )  # fmt: skip
        assert item.external_id == row["id"] and item.metadata == {"principle": row["principle"]}
    multi_turn = item_set.items.get(external_id="cai-demo-002")
    assert [m["role"] for m in multi_turn.prompt] == ["user", "assistant", "user"]


def test_the_shipped_singles_import_as_replies_to_critique(editor):
    item_set = item_set_import(
        actor=editor, name="singles", data=SHIPPED_SINGLES.read_bytes(),
        filename=SHIPPED_SINGLES.name,
    )  # fmt: skip
    assert item_set.items.filter(kind="single").count() == item_set.item_count == 40


@requires_hh_rlhf
def test_importing_the_real_hh_rlhf_pairs_keeps_prompts_replies_and_human_labels(editor):
    path = hh_rlhf_path()
    usable, refused = hh_rlhf_usable(path.read_bytes())
    assert len(refused) <= 5 and all("blank" in problem for problem in refused), refused
    item_set = item_set_import(actor=editor, name="HH", data=usable, filename=path.name)
    assert item_set.item_count == Item.objects.filter(item_set=item_set).count()
    assert item_set.item_count == 1000 - len(refused)
    assert not item_set.items.filter(human_choice="").exists()
    first = item_set.items.get(line=1)
    with gzip.open(path, "rt") as handle:
        row = json.loads(handle.readline())
    chosen = first.response_a if first.human_choice == "A" else first.response_b
    assert row["chosen"].endswith(chosen)
    assert first.prompt[0] == {
        "role": "user",
        "content": "what are some pranks with a pen i can do?",
    }


def test_one_bad_line_refuses_the_whole_file(editor):
    good = json.dumps({"prompt": "hi", "response": "hello"})
    data = "\n".join([good, good, '{"prompt": "hi"}', good]).encode()
    with pytest.raises(ImportProblems) as caught:
        item_set_import(actor=editor, name="bad", data=data, filename="bad.jsonl")
    assert caught.value.problems == [
        "line 3: needs prompt+response, prompt+response_a+response_b, or chosen+rejected"
    ]
    assert not ItemSet.objects.exists() and not Item.objects.exists()


def test_reviewers_cannot_import(reviewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        item_set_import(
            actor=reviewer, name="x", data=b'{"prompt":"a","response":"b"}', filename="x.jsonl"
        )
