"""The label kinds that can arrive from elsewhere, and the model each is written to."""

from collections.abc import Callable


def _model(name: str) -> Callable:
    def load():
        from labeling import models

        return getattr(models, name)

    return load


LABEL_MODELS: dict[str, Callable] = {
    "preference": _model("PreferenceLabel"),
    "critique": _model("CritiqueLabel"),
    "safety": _model("SafetyLabel"),
}
