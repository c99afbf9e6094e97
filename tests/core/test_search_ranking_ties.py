"""Ranking inside the index (`best_matches`) against the joined ranking (`by_relevance`) on
records that tie by the dozen: the same score, the same `updated_at`, drafts among them, read
page after page, with fetches small enough that every tie crosses a fetch and its cap
(`tie_cap`, PostgreSQL's WITH TIES), in both tiers and in one pass."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import CaseStudy
from core import search
from core.models import Status
from core.search import best_matches
from practices.models import Practice
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    SourceFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

# The ranking's fetches as small as a test can make them cross: 2, then 8, 32… up to the cap.
FETCHES = [(2, 8), (2, 32), (2, 50), (3, 2000)]


def joined_ranking(queryset, query):
    return list(queryset.search(query).by_relevance(query).values_list("pk", flat=True))


def tie_heavy(factory, total, **common):
    """`total` records in a few classes of equal score (title or not, the word once or twice),
    a third of them drafts, updated at one of three instants: every tie is broken by pk."""
    rng = random.Random(15)
    now = timezone.now()
    records = [
        factory(
            title="Le budget" if rng.random() < 0.4 else "Un atelier",
            summary="Le budget. " * rng.choice([1, 2]),
            status=Status.DRAFT if rng.random() < 0.3 else Status.PUBLISHED,
            **common,
        )
        for _ in range(total)
    ]
    for record in records:
        type(record).objects.filter(pk=record.pk).update(
            updated_at=now + timedelta(seconds=rng.choice([0, 1, 2]))
        )
    return records


def assert_every_page_as_joined(queryset, limit, count_up_to):
    expected = joined_ranking(queryset, "budget")
    # The fixture is made of ties: most of a page is decided on recency and pk.
    assert len(expected) > 15
    for offset in range(0, len(expected) + limit, limit):
        pks, count = best_matches(queryset, "budget", limit, offset, count_up_to=count_up_to)
        assert pks == expected[offset : offset + limit], offset
        assert count == min(len(expected), count_up_to), offset


@pytest.mark.parametrize("first, largest", FETCHES)
@pytest.mark.parametrize("count_up_to", [0, 7, 1001])
def test_a_tiered_kind_s_pages_of_ties_are_those_of_the_joined_ranking(
    monkeypatch, first, largest, count_up_to
):
    monkeypatch.setattr(search, "FIRST_FETCH", first)
    monkeypatch.setattr(search, "LARGEST_FETCH", largest)
    cases = tie_heavy(
        CaseStudyFactory, 70, territory=TerritoryFactory(name="Pessac"), source=SourceFactory()
    )
    assert CaseStudy.search_tiered

    assert_every_page_as_joined(CaseStudy.objects.visible(), 1, count_up_to)
    assert_every_page_as_joined(CaseStudy.objects.visible(), 5, count_up_to)
    # A list's filter keeps out some of the ties too.
    filtered = CaseStudy.objects.visible().exclude(pk__in=[case.pk for case in cases[::3]])
    assert_every_page_as_joined(filtered, 4, count_up_to)


@pytest.mark.parametrize("first, largest", FETCHES)
@pytest.mark.parametrize("count_up_to", [0, 7, 1001])
def test_a_kind_ranked_in_one_pass_s_pages_of_ties_are_those_of_the_joined_ranking(
    monkeypatch, first, largest, count_up_to
):
    monkeypatch.setattr(search, "FIRST_FETCH", first)
    monkeypatch.setattr(search, "LARGEST_FETCH", largest)
    tie_heavy(PracticeFactory, 60, source=SourceFactory())
    assert not getattr(Practice, "search_tiered", False)

    assert_every_page_as_joined(Practice.objects.visible(), 1, count_up_to)
    assert_every_page_as_joined(Practice.objects.visible(), 5, count_up_to)


@pytest.mark.parametrize("first, largest", FETCHES)
def test_kinds_ranked_together_give_each_kind_s_own_ranking(monkeypatch, first, largest):
    monkeypatch.setattr(search, "FIRST_FETCH", first)
    monkeypatch.setattr(search, "LARGEST_FETCH", largest)
    source = SourceFactory()
    tie_heavy(CaseStudyFactory, 40, territory=TerritoryFactory(name="Pessac"), source=source)
    tie_heavy(PracticeFactory, 30, source=source)
    searches = [
        (CaseStudy.objects.visible(), "budget", 6, 1001, None),
        (Practice.objects.visible(), "budget", 6, 5, None),
    ]

    together = search.best_matches_together(searches)

    assert together == [
        (joined_ranking(CaseStudy.objects.visible(), "budget")[:6], min(1001, together[0][1])),
        (joined_ranking(Practice.objects.visible(), "budget")[:6], 5),
    ]
    assert together[0][1] == len(joined_ranking(CaseStudy.objects.visible(), "budget"))
