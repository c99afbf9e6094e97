"""Ranking inside the full-text index (`best_matches`) gives the order of `by_relevance`.

The search page ranks each kind inside the index and joins only the best few entries to their
records; these tests hold it to the order of the joined query (rank, then the most recently
updated, then pk), with drafts among the best matches and ties across the first fetch.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStudy
from core import search
from core.search import best_matches
from practices.models import Practice
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
)

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


def tied_cases(**fields):
    """More published cases alike than the first fetch; the oldest in the index is the most
    recently updated record."""
    cases = [PublishedCaseStudyFactory(**fields) for _ in range(search.FIRST_FETCH + 5)]
    newest = cases[0]
    CaseStudy.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + timedelta(days=1))
    return newest


def test_ties_go_to_the_most_recently_updated_even_beyond_the_first_fetch():
    newest = tied_cases(title="Même titre", summary="Le même budget.")
    published = CaseStudy.objects.published()

    pks, _ = best_matches(published, "budget", 10)

    assert pks[0] == newest.pk
    assert pks == joined_ranking(published, "budget")[:10]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="WITH TIES is PostgreSQL's")
def test_postgresql_reads_the_ties_beyond_the_first_fetch_in_the_same_statement(
    django_assert_num_queries,
):
    newest = tied_cases(title="Le même budget", summary="Un atelier.")
    published = CaseStudy.objects.published()
    compiled = search.compile_query("budget")

    with django_assert_num_queries(1):
        pks, _ = best_matches(published, compiled, 10)

    assert pks == joined_ranking(published, "budget")[:10]
    assert pks[0] == newest.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="WITH TIES is PostgreSQL's")
def test_a_tie_larger_than_any_fetch_is_ranked_by_the_joined_query_at_once(
    monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(search, "LARGEST_FETCH", 4 * search.FIRST_FETCH)
    for _ in range(search.LARGEST_FETCH + 10):
        PublishedCaseStudyFactory(title="Le même budget", summary="Un atelier.")
    published = CaseStudy.objects.published()
    compiled = search.compile_query("budget")

    # One ranking statement, whose rows all tie; then the joined ranking and its count.
    with django_assert_num_queries(3):
        pks, count = best_matches(published, compiled, 10, count_up_to=1000)

    assert pks == joined_ranking(published, "budget")[:10]
    assert count == search.LARGEST_FETCH + 10


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


def test_an_unfinished_last_word_is_completed_in_the_query_that_reads_the_vocabulary(
    django_assert_num_queries,
):
    case = PublishedCaseStudyFactory(title="Un budget participatif")

    # Synonyms, known words and the words « budg » may be the start of: one query.
    with django_assert_num_queries(1):
        compiled = search.compile_query("participatif budg")

    assert "budget" in {alt.tokens[0] for alt in compiled.groups[-1].alternatives}
    assert best_matches(CaseStudy.objects.published(), compiled, 10) == ([case.pk], 0)
    # A finished word is not completed.
    assert len(search.compile_query("participatif budg ").groups[-1].alternatives) == 1


def test_the_exact_phrase_ranks_first_but_is_not_needed_to_match():
    apart = PublishedCaseStudyFactory(
        title="Participatif, enfin : le budget", summary="Un atelier."
    )
    phrase = PublishedCaseStudyFactory(title="Un budget participatif", summary="Un atelier.")
    compiled = search.compile_query("budget participatif")

    # PostgreSQL matches without the phrase (the same records, found for less), ranks with it.
    assert "<->" in compiled.tsquery()
    assert compiled.tsquery(boost=False) == "budget & particip"
    assert best_matches(CaseStudy.objects.published(), compiled, 10) == ([phrase.pk, apart.pk], 0)


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


def test_every_record_whose_title_holds_the_words_comes_before_the_others():
    # Said over and over in the summary and the text, the word still ranks below a title.
    wordy = PublishedCaseStudyFactory(
        title="Un atelier", summary="budget " * 20, method="Le budget, encore le budget."
    )
    titled = PublishedCaseStudyFactory(title="Le budget des habitants", summary="Un atelier.")
    published = CaseStudy.objects.published()

    assert best_matches(published, "budget", 10) == ([titled.pk, wordy.pk], 0)
    assert joined_ranking(published, "budget") == [titled.pk, wordy.pk]


def test_the_other_matches_fill_the_page_after_the_titles_in_the_order_of_relevance():
    titled = [
        PublishedCaseStudyFactory(title=f"Budget {n}", summary="Un atelier.") for n in range(3)
    ]
    for n in range(12):
        PublishedCaseStudyFactory(title=f"Cas {n}", summary="budget " * (n % 4 + 1))
    published = CaseStudy.objects.published()
    expected = joined_ranking(published, "budget")

    first, count = best_matches(published, "budget", 10, count_up_to=1001)
    second, _ = best_matches(published, "budget", 10, offset=10)

    assert sorted(first[:3]) == sorted(case.pk for case in titled)
    assert first + second == expected
    assert count == 15
    # Counted up to a cap, the titles first: they reach a cap of 2; not one of 4, the other
    # matches do.
    assert best_matches(published, "budget", 10, count_up_to=2)[1] == 2
    assert best_matches(published, "budget", 10, count_up_to=4)[1] == 4
    assert best_matches(published, "budget", 10, count_up_to=12)[1] == 12
    assert best_matches(published, "budget", 10, count_up_to=16)[1] == 15


def test_several_kinds_ranked_together_are_ranked_as_each_alone():
    for n in range(4):
        PublishedCaseStudyFactory(title=f"Budget {n}", summary="budget " * n)
        PublishedCaseStudyFactory(title=f"Cas {n}", summary="Un budget.")
    PublishedPracticeFactory(title="Pratique", summary="Le budget participatif.")
    PublishedPracticeFactory(title="Budget vert", summary="Un budget.")
    searches = [
        (CaseStudy.objects.published(), "budget", 5, 1001, None),
        (Practice.objects.visible(), "budget", 5, 1001, None),
        (Practice.objects.visible(), "zzyzx", 5, 1001, None),
    ]

    together = search.best_matches_together(searches)

    assert together == [
        best_matches(queryset, query, limit, count_up_to=cap)
        for queryset, query, limit, cap, _ in searches
    ]
    assert [len(pks) for pks, _ in together] == [5, 2, 0]


def test_a_kind_ranked_in_one_pass_also_puts_its_title_matches_first():
    wordy = PublishedPracticeFactory(title="Un atelier", summary="budget " * 20)
    titled = PublishedPracticeFactory(title="Le budget vert", summary="Un atelier.")
    visible = Practice.objects.visible()

    assert best_matches(visible, "budget", 10, count_up_to=101) == ([titled.pk, wordy.pk], 2)
    assert joined_ranking(visible, "budget") == [titled.pk, wordy.pk]


def test_a_kind_ranked_in_one_pass_counts_its_visible_matches_up_to_the_cap():
    for n in range(5):
        PublishedPracticeFactory(title=f"Pratique {n}", summary="Un budget.")
    for n in range(search.FIRST_FETCH + 3):
        PracticeFactory(title=f"Budget budget {n} (brouillon)", summary="budget budget")
    visible = Practice.objects.visible()

    assert best_matches(visible, "budget", 3, count_up_to=101)[1] == 5
    assert best_matches(visible, "budget", 3, count_up_to=4)[1] == 4
    assert len(best_matches(visible, "budget", 3, count_up_to=4)[0]) == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_postgresql_plans_the_statements_of_the_search_page_once_per_connection(client):
    words = ["budget", "atelier", "habitant"]
    for word in words:
        PublishedCaseStudyFactory(title=f"Un {word}", summary="Un texte.")
        PublishedPracticeFactory(title=f"Le {word}", summary="Un texte.")

    def prepared():
        """{name: (what it reads, generic plans run, custom plans run)}"""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, CASE WHEN statement LIKE %s THEN 'ranking' ELSE 'records' END, "
                "generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE %s OR statement LIKE %s",
                ["%AS in_title%", "%AS in_title%", "%FROM % record%"],
            )
            return {name: tuple(plans) for name, *plans in cursor.fetchall()}

    before = prepared()
    client.get(reverse("search"), {"q": words[0]})
    first = prepared()
    used = {name for name, plans in first.items() if plans != before.get(name)}
    for word in words[1:]:
        client.get(reverse("search"), {"q": word})

    # Other words, the same statements: planned once, their generic plan serves every search.
    assert {first[name][0] for name in used} == {"ranking", "records"}
    assert prepared() == first | {
        name: (reads, generic + 2, custom)
        for name, (reads, generic, custom) in first.items()
        if name in used
    }
    assert all(first[name][2] == 0 for name in used)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_postgresql_converts_the_statements_of_the_search_page_once_per_process(client):
    """psycopg writes a statement's %s as $1, $2… again for every statement over 4 kB: the
    search page's shapes are converted once, then taken as they are."""
    for word in ["budget", "atelier"]:
        PublishedCaseStudyFactory(title=f"Un {word}", summary="Un texte.")
    kept = search._prepared_cursor_class()._query_cls.converted
    client.get(reverse("search"), {"q": "budget"})
    first = kept.cache_info()

    response = client.get(reverse("search"), {"q": "atelier"})

    assert "Un <mark>atelier</mark>" in response.content.decode()
    # Another word, the same statements (ranking, records shown, vocabulary): none converted.
    now = kept.cache_info()
    assert now.misses == first.misses
    assert now.hits - first.hits == 3


def test_the_title_matches_are_ordered_by_their_whole_rank_as_in_the_joined_ranking():
    """The word in the title of both: the one that also has it in its summary ranks first, as
    `by_relevance` ranks it (SQLite ranked the title tier on the title's words alone)."""
    once = PublishedCaseStudyFactory(title="Le budget", summary="Un atelier.")
    twice = PublishedCaseStudyFactory(title="Le budget", summary="Le budget du budget.")
    published = CaseStudy.objects.published()
    assert CaseStudy.search_tiered

    assert joined_ranking(published, "budget") == [twice.pk, once.pk]
    assert best_matches(published, "budget", 10) == ([twice.pk, once.pk], 0)


def title_words(case):
    """{word: score} of the case's title in the database's ranked title words (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, score FROM core_searchtitleword WHERE kind = %s AND object_id = %s",
            [search.kind(CaseStudy), case.pk],
        )
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranked title words")
def test_the_ranked_title_words_follow_every_save_and_delete_of_a_record():
    case = PublishedCaseStudyFactory(title="Le budget des écoles", summary="Un budget voté.")
    assert {"budget", "ecol"} <= set(title_words(case))
    # Ranked as the word alone ranks the whole entry: the summary counts too.
    assert title_words(case)["budget"] > title_words(case)["ecol"]

    case.title = "La cantine des écoles"
    case.save()
    assert {"cantin", "ecol"} <= set(title_words(case)) and "budget" not in title_words(case)
    assert best_matches(CaseStudy.objects.published(), "budget", 10) == ([case.pk], 0)

    case.delete()
    assert title_words(case) == {}
    assert best_matches(CaseStudy.objects.published(), "ecoles", 10) == ([], 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranked title words")
def test_a_one_word_search_reads_its_title_tier_in_rank_order():
    """Its best title matches read from the ranked title words, not every title that holds the
    word ranked again; in the joined ranking's order, drafts left out, and counted."""
    cases = [
        PublishedCaseStudyFactory(title=f"Budget {n}", summary="budget " * (n % 3))
        for n in range(search.FIRST_FETCH + 5)
    ]
    draft = CaseStudyFactory(title="Budget budget", summary="budget budget budget")
    published = CaseStudy.objects.published()
    statements = []

    def kept(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    one, two = search.compile_query("budget"), search.compile_query("budget 3")
    with connection.execute_wrapper(kept):
        one_word = best_matches(published, one, 10, count_up_to=101)
    one_word_statements, statements = statements, []
    with connection.execute_wrapper(kept):
        two_words = best_matches(published, two, 10)

    assert one_word == (joined_ranking(published, "budget")[:10], len(cases))
    assert draft.pk not in one_word[0]
    assert all("core_searchtitleword" in sql for sql in one_word_statements)
    assert not any("core_searchtitleword" in sql for sql in statements)
    assert two_words[0][0] == cases[3].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_each_small_kind_is_found_in_its_own_full_text_index():
    """The search page's statements name each kind, so that their generic plans read the kind's
    own index; every searchable model but the cases (ranked tier by tier) has one."""
    models = search.searchable_models()
    small = {search.kind(m) for m in models if not getattr(m, "search_tiered", False)}
    assert small == set(search.SMALL_KINDS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'core_searchentry' "
            "AND indexdef LIKE %s",
            ["%USING gin (vector) WHERE%"],
        )
        indexed = {definition.split("'")[1] for (definition,) in cursor.fetchall()}
    assert indexed == small
    PublishedPracticeFactory(title="Le budget", summary="Un budget.")
    statements = []

    def kept(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    query = search.compile_query("budget")
    with connection.execute_wrapper(kept):
        best_matches(Practice.objects.published(), query, 10)
    assert "entry.kind = 'practices.practice'" in statements[0]
