"""Ranking inside the full-text index (`best_matches`) gives the order of `by_relevance`.

The search page ranks each kind inside the index and joins only the best few entries to their
records; these tests hold it to the order of the joined query (rank, then the most recently
updated, then pk), with drafts among the best matches and ties across the first fetch.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStudy
from core import search
from core.search import best_matches
from tests.factories import CaseStudyFactory, PublishedCaseStudyFactory, PublishedPracticeFactory

pytestmark = pytest.mark.django_db


def joined_ranking(queryset, query):
    return list(queryset.search(query).by_relevance(query).values_list("pk", flat=True))


def test_the_best_matches_are_those_of_the_joined_ranking():
    for n in range(12):
        PublishedCaseStudyFactory(title=f"Cas {n}", summary="budget " * (n % 4 + 1))
    PublishedCaseStudyFactory(title="Un budget participatif", summary="Le budget des habitants.")
    PublishedPracticeFactory(title="Budget budget budget", summary="budget")
    published = CaseStudy.objects.published()

    pks, count = best_matches(published, "budget", 10, count_up_to=1001)

    assert pks == joined_ranking(published, "budget")[:10]
    assert count == 13


def test_drafts_ranked_first_in_the_index_are_skipped_and_more_are_fetched():
    # More drafts than the first fetch, all ranked above every published case.
    for n in range(search.FIRST_FETCH + 5):
        CaseStudyFactory(title=f"Budget budget budget {n}", summary="budget budget")
    shown = [PublishedCaseStudyFactory(title=f"Cas {n}", summary="Un budget.") for n in range(3)]
    published = CaseStudy.objects.published()

    pks, count = best_matches(published, "budget", 10, count_up_to=1001)

    assert sorted(pks) == sorted(case.pk for case in shown)
    assert pks == joined_ranking(published, "budget")
    assert count == 3


def test_ties_go_to_the_most_recently_updated_even_beyond_the_first_fetch():
    cases = [
        PublishedCaseStudyFactory(title="Même titre", summary="Le même budget.")
        for _ in range(search.FIRST_FETCH + 5)
    ]
    # The oldest entry in the index is the most recently updated record.
    newest = cases[0]
    CaseStudy.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + timedelta(days=1))
    published = CaseStudy.objects.published()

    pks, _ = best_matches(published, "budget", 10)

    assert pks[0] == newest.pk
    assert pks == joined_ranking(published, "budget")[:10]


def test_a_later_page_continues_the_same_order():
    for n in range(30):
        PublishedCaseStudyFactory(title=f"Cas {n}", summary="budget " * (n % 5 + 1))
    published = CaseStudy.objects.published()

    pks, _ = best_matches(published, "budget", 10, offset=20)

    assert pks == joined_ranking(published, "budget")[20:30]


def test_a_word_the_index_does_not_know_is_answered_without_asking_the_index(
    django_assert_num_queries,
):
    case = PublishedCaseStudyFactory(title="Un budget participatif")
    compiled = search.compile_query("budget zzyzx")
    assert compiled.matches_nothing

    with django_assert_num_queries(0):
        assert best_matches(CaseStudy.objects.published(), compiled, 10) == ([], 0)
    # Broadened to some of the words, the known one still finds its record.
    broadened = best_matches(CaseStudy.objects.published(), compiled.broadened(), 10, count_up_to=5)
    assert broadened == ([case.pk], 1)


def test_a_list_searched_shows_each_page_in_the_order_of_relevance(client):
    for n in range(25):
        PublishedCaseStudyFactory(title=f"Cas {n}", summary="budget " * (n % 6 + 1))
    CaseStudyFactory(title="Budget budget budget (brouillon)", summary="budget budget")
    published = CaseStudy.objects.visible()
    expected = joined_ranking(published, "budget")

    pages = [
        [case.pk for case in client.get(reverse("cases:list"), params).context["object_list"]]
        for params in ({"q": "budget"}, {"q": "budget", "page": 2})
    ]

    assert pages == [expected[:20], expected[20:]]
