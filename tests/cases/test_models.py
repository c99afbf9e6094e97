import pytest
from django.db import IntegrityError, transaction

from cases.models import CaseStudy
from tests.factories import CaseStudyFactory, PracticeFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(year_start=2020, year_end=2018)


def test_it_refuses_an_implausible_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(year_start=20190)


def test_cases_compose_their_filters():
    practice = PracticeFactory()
    bretagne = TerritoryFactory(region="Bretagne", departement="Finistère")
    wanted = CaseStudyFactory(territory=bretagne, practices=[practice])
    CaseStudyFactory(territory=bretagne)
    CaseStudyFactory(practices=[practice])
    assert list(CaseStudy.objects.in_region("Bretagne").for_practice(practice)) == [wanted]


def test_active_in_covers_the_whole_period():
    spanning = CaseStudyFactory(year_start=2018, year_end=2021)
    single = CaseStudyFactory(year_start=2020)
    CaseStudyFactory(year_start=2015, year_end=2016)
    assert set(CaseStudy.objects.active_in(2020)) == {spanning, single}
    assert set(CaseStudy.objects.active_in(2019)) == {spanning}


def test_search_finds_a_case_by_its_territory():
    case = CaseStudyFactory(title="Repenser l'accueil", territory=TerritoryFactory(name="Pessac"))
    CaseStudyFactory(title="Autre chose")
    assert list(CaseStudy.objects.search("pessac")) == [case]
