"""Critic configurations: records users create in the browser and the API."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none

from ..engine.default_model import DEFAULT_MODEL
from ..engine.endpoints import EndpointPolicy
from ..engine.registry import validate_backend_config
from ..models import CriticConfig

DEFAULT_CRITIC_NAME = "SmolLM2-135M-Instruct (shipped default)"
FIELDS = (
    "name", "backend", "model", "base_url", "api_key_env", "max_new_tokens", "temperature",
    "top_p", "batch_size", "max_concurrency", "timeout_s",
)  # fmt: skip


def critic_endpoint_policy() -> EndpointPolicy:
    """The servers and key variables critics may use (CAI_CRITIC_BASE_URLS, CAI_CRITIC_KEY_ENVS)."""
    return EndpointPolicy(
        base_urls=tuple(settings.CAI_CRITIC_BASE_URLS),
        key_envs=tuple(settings.CAI_CRITIC_KEY_ENVS),
    )


def _validate(critic: CriticConfig) -> None:
    critic.full_clean(exclude=["created_by"])
    config = critic.backend_config()
    problems = validate_backend_config(config)
    if problems:
        raise ValidationError({"__all__": problems})
    refused = critic_endpoint_policy().config_problems(config)
    if refused:
        raise ValidationError(refused)


@transaction.atomic
def critic_config_create(*, actor: AbstractBaseUser | None, **fields) -> CriticConfig:
    """Add a critic configuration (fields other than the configuration's are ignored).

    Raises PermissionDenied without the permission to manage critics, ValidationError for
    invalid fields, a backend configuration that cannot work, or a server or key variable the
    endpoint policy refuses."""
    permission_require(actor, permissions.MANAGE_CRITICS, action="manage critic configurations")
    critic = CriticConfig(**{k: v for k, v in fields.items() if k in FIELDS})
    critic.created_by = user_or_none(actor)
    _validate(critic)
    critic.save()
    audit_record(
        actor=actor,
        action="critic.created",
        target=critic,
        scope=f"critic:{critic.pk}",
        summary=f"Created critic {critic.name} ({critic.backend}: {critic.model})",
        payload=critic.backend_config(),
    )
    return critic


@transaction.atomic
def critic_config_update(
    *, actor: AbstractBaseUser | None, critic: CriticConfig, **fields
) -> CriticConfig:
    """Change the fields given; audited only when something changed.

    Raises PermissionDenied without the permission to manage critics, ValidationError as
    critic_config_create does."""
    permission_require(actor, permissions.MANAGE_CRITICS, action="manage critic configurations")
    changed = {k: v for k, v in fields.items() if k in FIELDS and getattr(critic, k) != v}
    for key, value in changed.items():
        setattr(critic, key, value)
    _validate(critic)
    if changed:
        critic.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action="critic.updated",
            target=critic,
            scope=f"critic:{critic.pk}",
            summary=f"Changed {', '.join(sorted(changed))} of critic {critic.name}",
            payload={k: str(v) for k, v in changed.items()},
        )
    return critic


def critic_config_default() -> CriticConfig:
    """The shipped SmolLM2 critic, created on first use. Raises nothing of its own."""
    critic, _ = CriticConfig.objects.get_or_create(
        name=DEFAULT_CRITIC_NAME,
        defaults={"backend": CriticConfig.Backend.TRANSFORMERS, "model": DEFAULT_MODEL,
                  "max_new_tokens": 96, "batch_size": 8},
    )  # fmt: skip
    return critic
