"""The dataset card (README.md) of a snapshot: what is in it and how far it can be trusted."""

from .models import DatasetSnapshot

USE = {
    "sft_messages": "TRL `SFTTrainer` (conversational `messages`)",
    "sft_prompt_completion": "TRL `SFTTrainer` (conversational prompt/completion)",
    "preference": "TRL `DPOTrainer` or `RewardTrainer` (conversational preference)",
    "preference_plain": "TRL `DPOTrainer` or `RewardTrainer` (plain-text preference)",
    "kto": "TRL `KTOTrainer` (unpaired preference)",
    "audit_parquet": "analysis: one row per AI label with the human verdicts",
    "audit_csv": "analysis in a spreadsheet: one row per AI label with the human verdicts",
}


def _table(counts: dict, heading: str) -> str:
    rows = "\n".join(f"| {key} | {value:,} |" for key, value in counts.items())
    return f"| {heading} | rows |\n|---|---|\n{rows}\n" if counts else "(none)\n"


def dataset_card(snapshot: DatasetSnapshot, manifest: dict) -> str:
    stats = manifest["stats"]
    agreement = stats["ai_agreement_with_gold"]
    if agreement:
        trust = (
            f"Of the {stats['audited']:,} labels here that humans audited, the AI agreed with "
            f"the human gold label on {100 * agreement['value']:.1f}% (95% Wilson interval "
            f"{100 * agreement['low']:.1f}–{100 * agreement['high']:.1f}%)."
        )
    else:
        trust = "None of these labels was audited by humans: they are AI labels only."
    versions = ", ".join(
        f"{v['constitution']} v{v['number']}" for v in manifest["constitution_versions"]
    )
    filters = "\n".join(f"- {k}: {v}" for k, v in manifest["filters"].items()) or "- (none)"
    return f"""---
configs:
- config_name: default
  data_files: {snapshot.data_file}
tags:
- constitutional-ai
- cai-audit
---
# {snapshot.name}

Exported by CAI Audit (code {manifest["code_version"]}) on {manifest["created_at"]}
by {manifest["created_by"] or "the system"}. Snapshot {snapshot.pk}, immutable.

- Data file: `{snapshot.data_file}`, {snapshot.rows:,} rows, SHA-256 `{snapshot.sha256}`
- Format: {snapshot.get_format_display()}, for {USE[snapshot.format]}
- Label policy: {snapshot.get_policy_display()}{
        f" (minimum confidence {snapshot.min_confidence})"
        if snapshot.policy == "ai_confident"
        else ""
    }
- Constitution versions: {versions or "(none)"}
- Provenance of every row (AI label id, principle, version, run, who decided):
  `provenance.jsonl`, line for line; the whole record: `manifest.json`

## Filters
{filters}

## Trust
{trust} {stats["labels_kept"]:,} of {stats["labels_matched"]:,} matching labels were kept.

{_table(stats["label_sources"], "label source")}
`gold`: the human gold label decided; `ai_confirmed`: the AI's label, confirmed by humans;
`ai`: the AI's label, never audited.

## Principles
{_table(stats["principles"], "principle")}
## Content warning
Harmlessness data contains descriptions of harmful requests and responses.
"""
