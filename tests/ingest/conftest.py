import pytest

from labeling.models import Judge, LabelSource


@pytest.fixture
def judge(db):
    return Judge.objects.create(name="gpt-judge", model="gpt-4o-2024-08-06", version="p3")


@pytest.fixture
def guard(db):
    return Judge.objects.create(name="llama-guard", model="meta-llama/Llama-Guard-3-8B")


@pytest.fixture
def source(judge):
    return LabelSource.objects.create(key="vllm-batch", name="vLLM batch job", judge=judge)


# Our own critic (a tiny random model) and the review roles, for the same-numbers test.
from tests.labeling.conftest import tiny_critic, tiny_model_dir  # noqa: E402, F401
from tests.reviews.conftest import lead, reviewers  # noqa: E402, F401
