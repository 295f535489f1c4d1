"""Dataset snapshots, exporters and training jobs (issue 6)."""
