from tests.reviews.conftest import lead, reviewers  # noqa: F401
