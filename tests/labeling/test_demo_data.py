"""The shipped demo preference set (labeling/data/) and where the real HH-RLHF pairs are found.
Pure: no database."""

import gzip
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from labeling.demo_data import (
    HH_RLHF_BESIDE_CHECKOUT,
    SHIPPED_PAIRS,
    SHIPPED_SINGLES,
    HHRLHFNotFound,
    hh_rlhf_path,
)
from labeling.importing import parse_items

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


PAIRS = _rows(SHIPPED_PAIRS)
SINGLES = _rows(SHIPPED_SINGLES)


def test_the_shipped_pairs_parse_with_the_item_importer_without_a_problem():
    result = parse_items(SHIPPED_PAIRS.read_bytes(), "jsonl")
    assert (result.problem_count, result.problems) == (0, [])
    assert 100 <= len(result.records) <= 130
    assert {r.kind for r in result.records} == {"pair"}
    assert all(r.human_choice in ("A", "B") for r in result.records)


def test_every_shipped_pair_has_a_distinct_non_blank_chosen_and_rejected_reply():
    for row in PAIRS:
        assert row["chosen"].strip() and row["rejected"].strip(), row["id"]
        assert row["chosen"] != row["rejected"], row["id"]
    assert len({row["id"] for row in PAIRS}) == len(PAIRS)
    assert len({json.dumps(row["prompt"]) for row in PAIRS}) == len(PAIRS)


def test_the_chosen_reply_sits_in_both_positions_so_a_stuck_judge_cannot_look_right():
    records = parse_items(SHIPPED_PAIRS.read_bytes(), "jsonl").records
    share_a = sum(r.human_choice == "A" for r in records) / len(records)
    assert 0.35 < share_a < 0.65, share_a


def test_the_shipped_pairs_spread_over_domains_harm_categories_and_locales():
    domains = Counter(row["domain"] for row in PAIRS)
    assert {
        "general", "medical", "legal", "finance", "cyber", "relationships", "chemistry-at-home",
    } <= set(domains)  # fmt: skip
    assert min(domains.values()) >= 5
    assert len({row["harm_category"] for row in PAIRS}) >= 8
    locales = Counter(row["locale"] for row in PAIRS)
    assert set(locales) == {"en-US", "de-DE", "fr-FR"}
    assert locales["en-US"] > len(PAIRS) / 2
    assert locales["de-DE"] >= 10 and locales["fr-FR"] >= 10
    multi_turn = [row for row in PAIRS if isinstance(row["prompt"], list)]
    assert len(multi_turn) >= 10
    assert all(
        [m["role"] for m in row["prompt"]][-1] == "user" and len(row["prompt"]) >= 3
        for row in multi_turn
    )
    high_stakes = Counter(row["domain"] for row in PAIRS if row["high_stakes"])
    assert high_stakes["medical"] >= 10 and high_stakes["legal"] >= 5


def test_the_first_pairs_are_the_ones_the_demo_judges_under_harm_02():
    from labeling.demo import PREFERENCE_CODE, PREFERENCE_PAIRS

    assert {row["principle"] for row in PAIRS[:PREFERENCE_PAIRS]} == {PREFERENCE_CODE}
    assert {row["harm_category"] for row in PAIRS[:PREFERENCE_PAIRS]} >= {
        "theft", "fraud", "violence", "cyber",
    }  # fmt: skip


def test_every_principle_a_pair_names_is_in_the_demo_constitution():
    from constitutions.demo import V1_PRINCIPLES

    codes = {p["code"] for p in V1_PRINCIPLES}
    assert {row["principle"] for row in PAIRS} <= codes


def test_the_critique_singles_are_forty_of_the_shipped_pairs_less_safe_replies():
    result = parse_items(SHIPPED_SINGLES.read_bytes(), "jsonl")
    assert result.problem_count == 0 and {r.kind for r in result.records} == {"single"}
    assert len(SINGLES) == 40
    by_id = {row["id"]: row for row in PAIRS}
    for single in SINGLES:
        pair = by_id[single["id"].removesuffix("-rejected")]
        assert (single["prompt"], single["response"]) == (pair["prompt"], pair["rejected"])
    assert len({single["locale"] for single in SINGLES}) == 3


def test_the_committed_files_are_what_the_generator_writes():
    completed = subprocess.run(
        [sys.executable, "scripts/write_demo_pairs.py", "--check"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr


# -- where the real HH-RLHF pairs are found ----------------------------------------------------


def test_a_configured_path_to_the_real_pairs_is_used(tmp_path):
    path = tmp_path / "hh.jsonl.gz"
    path.write_bytes(gzip.compress(b"{}"))
    assert hh_rlhf_path(str(path)) == path
    assert hh_rlhf_path(f"  {path}  ") == path


def test_a_configured_path_that_is_not_a_file_is_an_error_naming_the_variable(tmp_path):
    with pytest.raises(HHRLHFNotFound, match="CAI_HH_RLHF_PATH=.*absent.jsonl.gz.*is not a file"):
        hh_rlhf_path(str(tmp_path / "absent.jsonl.gz"))
    with pytest.raises(HHRLHFNotFound):
        hh_rlhf_path(str(tmp_path))  # a folder is not the file


def test_off_turns_the_real_pairs_off_and_empty_looks_beside_the_checkout():
    assert hh_rlhf_path("off") is None and hh_rlhf_path("OFF") is None
    expected = HH_RLHF_BESIDE_CHECKOUT if HH_RLHF_BESIDE_CHECKOUT.is_file() else None
    assert hh_rlhf_path("") == expected and hh_rlhf_path("  ") == expected
    beside = PROJECT_ROOT.parent / "shared" / "data" / "hh-rlhf-harmless-test-first1000.jsonl.gz"
    assert beside == HH_RLHF_BESIDE_CHECKOUT
