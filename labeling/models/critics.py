"""Who makes AI labels: critic configurations (models the app runs) and their prompt templates."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import between, range_check


class CriticConfig(models.Model):
    """Which model critiques and judges, through which backend, with which sampling settings."""

    class Backend(models.TextChoices):
        TRANSFORMERS = "transformers", "Local transformers model"
        OPENAI = "openai", "OpenAI-compatible server (vLLM, TGI, Ollama, hosted)"

    name = models.CharField(max_length=100, unique=True)
    backend = models.CharField(max_length=16, choices=Backend.choices)
    model = models.CharField(
        max_length=300,
        help_text="smollm2-135m-instruct (shipped), a local model folder, or the server's model.",
    )
    base_url = models.URLField(blank=True, help_text="OpenAI-compatible: e.g. http://gpu:8000/v1")
    api_key_env = models.CharField(
        max_length=100, blank=True, help_text="Environment variable that holds the API key."
    )
    max_new_tokens = models.PositiveIntegerField(default=160, validators=between(1, 8192))
    temperature = models.FloatField(default=0.0, validators=between(0.0, 2.0))
    top_p = models.FloatField(default=1.0, validators=between(0.01, 1.0))
    batch_size = models.PositiveIntegerField(
        default=8, validators=between(1, 512), help_text="Local batch size."
    )
    max_concurrency = models.PositiveIntegerField(
        default=8, validators=between(1, 256), help_text="HTTP requests in flight."
    )
    timeout_s = models.PositiveIntegerField(
        default=60, validators=between(1, 3600), help_text="Seconds per HTTP request."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__gte=0) & Q(top_p__gt=0) & Q(top_p__lte=1),
                name="critic_sampling_valid",
            ),
            range_check("max_new_tokens", 1, 8192, name="critic_max_new_tokens_range"),
            range_check("temperature", 0.0, 2.0, name="critic_temperature_range"),
            range_check("batch_size", 1, 512, name="critic_batch_size_range"),
            range_check("max_concurrency", 1, 256, name="critic_max_concurrency_range"),
            range_check("timeout_s", 1, 3600, name="critic_timeout_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def step_size(self) -> int:
        """Units sent to the backend per call: the local batch size, or 64 for a server (its
        own concurrency bound spreads them)."""
        return max(1, self.batch_size if self.backend == self.Backend.TRANSFORMERS else 64)

    def snapshot(self) -> dict:
        """Everything that shaped its labels, kept on each run (the config may change later)."""
        return {
            "name": self.name,
            **self.backend_config(),
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
        }

    def backend_config(self) -> dict:
        """What the engine's registry needs to build the backend (no secrets)."""
        if self.backend == self.Backend.OPENAI:
            return {
                "backend": "openai",
                "base_url": self.base_url,
                "model": self.model,
                "api_key_env": self.api_key_env,
                "max_concurrency": self.max_concurrency,
                "timeout_s": self.timeout_s,
            }
        return {"backend": "transformers", "model": self.model, "batch_size": self.batch_size}


class PromptTemplate(models.Model):
    """The exact text of every prompt template ever used, found by the hash labels keep."""

    kind = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.sha256[:12]}"
