"""Strata may mix any of the fields a population is cut by: ids (version, critic) beside text
(principle, locale...), for every label kind."""

import pytest

from labeling.filters import LabelFilter
from reviews.population import STRATA_FIELDS, population_load
from tests.redteam.factories import make_judged_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["preference", "verdict"])
def test_strata_mixing_ids_and_text_name_each_label_by_all_its_fields(population, kind):
    make_judged_run(population.constitution_version, cases=3)
    fields = tuple(STRATA_FIELDS)
    loaded = population_load(kind=kind, where=LabelFilter(), strata_fields=fields)
    version = str(population.constitution_version_id)
    assert len(loaded.ids) > 0
    assert all(name.count("|") == len(STRATA_FIELDS) - 1 for name in loaded.stratum_names)
    assert all(name.split("|")[5] == version for name in loaded.stratum_names)
