"""The API tests' world (one of everything, owned by a staff admin) for the tests of what every
door shares: bounds and hostile input."""

from tests.api.conftest import (  # noqa: F401
    admin,
    api_world,
    audited,
    lead,
    population,
    reviewers,
)
