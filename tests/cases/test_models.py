import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import CaseStudy, Territory
from core.models import Status
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


def test_a_territory_names_its_type_as_its_display_does():
    for kind in Territory.Kind.values:
        territory = Territory(kind=kind)
        assert territory.kind_label == territory.get_kind_display()
    # A type the choices no longer hold (an old import) is shown as stored.
    assert Territory(kind="canton").kind_label == "canton"


def test_the_territory_list_shows_each_territorys_type(client):
    pessac = TerritoryFactory(name="Pessac", kind=Territory.Kind.COMMUNE)
    CaseStudyFactory(territory=pessac, status=Status.PUBLISHED)
    page = client.get(reverse("cases:territory_list")).content.decode()
    assert 'Pessac</a> <span class="small text-body-secondary">(Commune)</span>' in page
