from django.apps import AppConfig


class ToyKindConfig(AppConfig):
    name = "tests.toykind"
    label = "toykind"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import F

        from labeling.kinds import LabelKind, register

        from .models import ToxicityLabel

        flags = tuple(ToxicityLabel.Flag.values)
        # The whole of what a new kind takes: one registration.
        register(
            LabelKind(
                key="toxicity",
                verbose_name="Toxicity flags",
                model=ToxicityLabel,
                ai_choice_field="flag",
                ai_choices=flags,
                human_field="choice",
                human_choices=flags,
                answer_required="Say whether the response is toxic or clean.",
                agreement_fields=("choice",),
                ai_correct_rule=lambda answer, ai_choice: answer["choice"] == ai_choice,
                decision_sets_ai_correct=True,
                scores={"least_confidence": lambda: 1.0 - F("confidence")},
                confidence_field="confidence",
                related=("run", "item"),
                blind_view=lambda label: {
                    "prompt": label.item.prompt,
                    "response_a": label.item.response_a,
                },  # fmt: skip
                ai_view=lambda label: {"flag": label.flag, "confidence": label.confidence},
                review_context=lambda label: {"item": label.item},
            )
        )
