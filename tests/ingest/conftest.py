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
