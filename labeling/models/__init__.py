"""The labeling app's models, one module per concern: items (what is labelled), critics and
judges (who labels: `critics`, `sources`), runs (`runs`), AI label rows (`labels`), tallies."""

from .critics import CriticConfig, PromptTemplate
from .items import Item, ItemSet
from .labels import (
    UNIT,
    AILabel,
    CritiqueLabel,
    LabelProvenance,
    PreferenceEnsemble,
    PreferenceLabel,
    SafetyLabel,
)
from .runs import LabelingRun, RunBatch
from .sources import Judge, LabelSource
from .tallies import LabelTally

__all__ = [
    "UNIT",
    "AILabel",
    "CriticConfig",
    "CritiqueLabel",
    "Item",
    "ItemSet",
    "Judge",
    "LabelProvenance",
    "LabelSource",
    "LabelTally",
    "LabelingRun",
    "PreferenceEnsemble",
    "PreferenceLabel",
    "PromptTemplate",
    "RunBatch",
    "SafetyLabel",
]
