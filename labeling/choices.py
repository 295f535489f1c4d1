"""The answers AI labels and reviewers choose among, defined once. Plain enums (no ORM), so the
pure prompt and metric modules use them too."""

from django.db.models import TextChoices


class PreferenceChoice(TextChoices):
    """What a reviewer answers on a response pair (the AI chooses among A, B and tie)."""

    A = "A", "A is better"
    B = "B", "B is better"
    TIE = "tie", "Tie"
    BOTH_BAD = "both_bad", "Both unacceptable"


class VerdictClass(TextChoices):
    """The red-team judge's classes of an answer under a principle; reviewers answer the same."""

    VIOLATION = "violation", "Violation"
    REFUSAL = "refusal", "Refusal"
    SAFE = "safe", "Safe compliance"


# What the preference judge chooses among (a reviewer may also say both are unacceptable).
AI_PREFERENCES = ("A", "B", "tie")
