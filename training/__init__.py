"""Dataset snapshots, exporters and training jobs."""
