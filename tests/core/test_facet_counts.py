"""Each facet counts each record once, whatever the filters in use and the record's links.

`facet_counts` counts with COUNT(*) when no join of the query can repeat a record
(`multiplies_rows`): these tests count the same facets in Python, record by record, for every
list, with every filter alone, with the many-to-many filters together and with a search."""

from collections import Counter
from itertools import combinations

import django_filters
import pytest
from django.test import RequestFactory

from cases.filters import CaseStudyFilterSet
from cases.models import CaseStudy, Territory
from practices.filters import (
    FindingFilterSet,
    OrientationFilterSet,
    PisteFilterSet,
    PracticeFilterSet,
)
from practices.models import Finding, Orientation, Piste, Practice
from tests.factories import (
    PublishedCaseStudyFactory,
    PublishedFindingFactory,
    PublishedOrientationFactory,
    PublishedPisteFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TagFactory,
    TerritoryFactory,
    ThemeFactory,
    TrainingPracticeFactory,
)
from trainings.filters import TrainingFilterSet
from trainings.models import Training

pytestmark = pytest.mark.django_db


def records_by_value(filterset, facet):
    """{value: records}, counted in Python: the records the other filters keep, each once per
    value it has."""
    queryset = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in {facet, "tri"} and value not in (None, ""):
            queryset = filterset.filters[name].filter(queryset, value)
    pairs = set(queryset.order_by().values_list("pk", filterset.facets[facet]))
    return dict(Counter(value for _pk, value in pairs if value not in (None, "")))


def assert_each_record_counted_once(filterset_class, queryset, params):
    request = RequestFactory().get("/", params)
    filterset = filterset_class(request.GET, queryset, request=request)
    assert filterset.is_valid(), filterset.errors

    counts = filterset.facet_counts()

    assert counts == {facet: records_by_value(filterset, facet) for facet in filterset.facets}


def every_combination(values):
    """Each filter alone, each pair of filters, and all of them."""
    items = list(values.items())
    yield {}
    for size in (1, 2):
        for chosen in combinations(items, size):
            yield dict(chosen)
    yield dict(items)


def test_the_case_list_counts_each_case_once():
    themes = [ThemeFactory(slug=f"t{n}") for n in range(3)]
    practices = [PublishedPracticeFactory(slug=f"p{n}") for n in range(3)]
    sources = [SourceFactory(slug=f"s{n}") for n in range(2)]
    metropole = TerritoryFactory(
        kind=Territory.Kind.METROPOLIS,
        region="Bretagne",
        departement="Finistère",
        population=300_000,
    )
    commune = TerritoryFactory(region="Occitanie", departement="Hérault", population=5_000)
    for n, (territory, linked) in enumerate(
        [(metropole, 3), (metropole, 2), (commune, 3), (commune, 1), (metropole, 0)]
    ):
        PublishedCaseStudyFactory(
            kind=CaseStudy.Kind.FOCUS if n % 2 else CaseStudy.Kind.EXAMPLE,
            territory=territory,
            source=sources[n % 2],
            themes=themes[:linked],
            practices=practices[-linked:] if linked else [],
            summary="Un budget participatif." if n < 3 else "Un atelier.",
            year_start=2020,
        )
    values = {
        "q": "budget",
        "type": "focus",
        "type_territoire": "metropole",
        "region": "Bretagne",
        "departement": "Finistère",
        "theme": "t1",
        "pratique": "p2",
        "source": "s0",
        "taille": "200000-1000000",
        "annee": "2020",
    }
    for params in every_combination(values):
        assert_each_record_counted_once(CaseStudyFilterSet, CaseStudy.objects.visible(), params)


def test_the_practice_and_training_lists_count_each_record_once():
    themes = [ThemeFactory(slug=f"t{n}") for n in range(3)]
    practices = [
        PublishedPracticeFactory(
            slug=f"p{n}", themes=themes[: n + 1], summary="Un budget vert." if n else "Un atelier."
        )
        for n in range(3)
    ]
    for n in range(3):
        training = PublishedTrainingFactory(title=f"Le budget {n}" if n else "Un atelier")
        for practice in practices[: n + 1]:
            TrainingPracticeFactory(training=training, practice=practice)
    for params in every_combination({"q": "budget", "theme": "t0", "famille": "axe-proximite"}):
        assert_each_record_counted_once(PracticeFilterSet, Practice.objects.visible(), params)
    for params in every_combination(
        {"q": "budget", "pratique": "p1", "domaine": "evaluation", "modalite": "stage"}
    ):
        assert_each_record_counted_once(TrainingFilterSet, Training.objects.visible(), params)


def test_the_orientation_piste_and_finding_lists_count_each_record_once():
    tags = [TagFactory(slug=f"e{n}") for n in range(3)]
    orientation = PublishedOrientationFactory(slug="o1", summary="Un budget.")
    PublishedOrientationFactory(summary="Un atelier.")
    for n in range(3):
        PublishedPisteFactory(
            orientation=orientation, tags=tags[: n + 1], title=f"Le budget {n}" if n else "Rien"
        )
    PublishedFindingFactory(summary="Un budget.")
    PublishedFindingFactory()
    for params in every_combination({"q": "budget", "orientation": "o1", "etiquette": "e0"}):
        assert_each_record_counted_once(PisteFilterSet, Piste.objects.visible(), params)
    for params in every_combination({"q": "budget"}):
        assert_each_record_counted_once(OrientationFilterSet, Orientation.objects.visible(), params)
        assert_each_record_counted_once(FindingFilterSet, Finding.objects.visible(), params)


def test_a_filter_on_several_values_of_a_link_counts_each_record_once():
    """Two themes of the same case chosen at once: two rows of the join for one case."""
    from core.listing import SearchSortFilterSet
    from practices.models import Theme

    class SeveralThemes(SearchSortFilterSet):
        themes = django_filters.ModelMultipleChoiceFilter(
            queryset=Theme.objects.all(), field_name="themes__slug", to_field_name="slug"
        )
        facets = {"type": "kind", "region": "territory__region"}

        class Meta:
            model = CaseStudy
            fields = []

    themes = [ThemeFactory(slug=f"t{n}") for n in range(2)]
    PublishedCaseStudyFactory(themes=themes, territory=TerritoryFactory(region="Bretagne"))
    request = RequestFactory().get("/", {"themes": ["t0", "t1"]})
    filterset = SeveralThemes(request.GET, CaseStudy.objects.visible(), request=request)
    assert filterset.is_valid()

    assert filterset.facet_counts() == {"type": {"focus": 1}, "region": {"Bretagne": 1}}


def test_a_list_of_records_reached_through_a_reverse_link_counts_each_record_once():
    """An orientation with two published pistes: two rows of the join for one orientation."""
    from core.models import Status

    orientation = PublishedOrientationFactory(source=SourceFactory(slug="s0"))
    for _ in range(2):
        PublishedPisteFactory(orientation=orientation)
    with_pistes = Orientation.objects.visible().filter(pistes__status=Status.PUBLISHED)
    request = RequestFactory().get("/")
    filterset = OrientationFilterSet(request.GET, with_pistes, request=request)
    assert filterset.is_valid()

    assert filterset.facet_counts() == {"source": {"s0": 1}}
