import gzip
import json

import pytest

from cai_audit.errors import ImportProblems
from labeling.models import Item, ItemSet
from labeling.services.items import item_set_import
from tests.labeling.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db
DATA = PROJECT_ROOT.parent / "shared" / "data" / "hh-rlhf-harmless-test-first1000.jsonl.gz"


def test_importing_the_shared_pairs_keeps_prompts_replies_and_human_labels(editor):
    item_set = item_set_import(actor=editor, name="HH", data=DATA.read_bytes(), filename=DATA.name)
    assert item_set.item_count == Item.objects.filter(item_set=item_set).count() == 1000
    first = item_set.items.get(line=1)
    with gzip.open(DATA, "rt") as handle:
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
