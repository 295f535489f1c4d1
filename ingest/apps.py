from django.apps import AppConfig


class IngestConfig(AppConfig):
    """AI labels made elsewhere: file imports, the streaming API, sources and service accounts."""

    name = "ingest"
