"""Items and their import, critic configurations, model backends (`engine/`), labeling runs in
batches, and the AI labels they make (critiques with revisions, pairwise preferences)."""
