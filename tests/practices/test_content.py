"""The real content: the fixtures drawn from the five reports load, are complete and consistent.

These tests load the whole of fixtures/ once for the module (inside a transaction rolled back at
the end); every other test file uses factories.
"""

import re
from collections import Counter

import pytest
from django.apps import apps
from django.db import transaction

from cases.models import CasePractice, CaseStudy, Territory
from core.seeding import FIXTURE_FILES, FIXTURES_DIR, entry_key, read_fixtures, seed_content
from practices.models import Finding, Orientation, Piste, Practice, Source, Tag, Theme
from trainings.models import Training, TrainingPractice

CONTENT_MODELS = [Practice, Orientation, Piste, CaseStudy, Training, Finding]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_content()
        yield report
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_every_fixture_file_is_there():
    for name in FIXTURE_FILES:
        assert (FIXTURES_DIR / name).exists(), name


def test_everything_loads_without_error(seeded):
    assert seeded.errors == []
    assert seeded.created > 0


def test_there_is_one_source_per_report(seeded):
    assert set(Source.objects.values_list("slug", flat=True)) == {
        "cnfpt-2022",
        "mnt-inet-2019",
        "inet-nina-simone-2018",
        "reflexes-publics-2020",
        "inet-regards-croises-2021",
    }


@pytest.mark.parametrize(
    "source, kind, expected",
    [
        ("cnfpt-2022", "focus", 9),
        ("cnfpt-2022", "reference", 22),
        ("mnt-inet-2019", "cas-etudie", 5),
        ("inet-nina-simone-2018", "projet-collectif", 10),
        ("reflexes-publics-2020", "inspiration", 36),
        ("inet-regards-croises-2021", "projet-collectif", 19),
    ],
)
def test_case_counts_match_the_reports(seeded, source, kind, expected):
    assert CaseStudy.objects.filter(source__slug=source, kind=kind).count() == expected


@pytest.mark.parametrize(
    "source, pistes_per_orientation",
    [
        ("cnfpt-2022", None),
        ("mnt-inet-2019", [2, 7, 4, 2, 4]),
        ("reflexes-publics-2020", [3, 2, 3, 2, 2, 3, 2]),
    ],
)
def test_orientations_and_pistes_match_the_reports(seeded, source, pistes_per_orientation):
    orientations = Orientation.objects.filter(source__slug=source).order_by("number")
    if pistes_per_orientation is None:  # CNFPT: 5 préconisations, 30 sub-actions
        assert orientations.count() == 5
        assert Piste.objects.filter(orientation__source__slug=source).count() == 30
    else:
        assert [o.pistes.count() for o in orientations] == pistes_per_orientation


def test_the_cnfpt_training_lines_are_all_there(seeded):
    trainings = Training.objects.filter(source__slug="cnfpt-2022")
    # 108 lines, one of which holds two modules.
    assert trainings.count() == 109
    assert trainings.filter(duration_days__isnull=True).count() >= 7
    assert set(trainings.values_list("domain", flat=True)) == set(Training.Domain.values)


def test_the_double_training_line_became_two_trainings(seeded):
    titles = Training.objects.filter(
        title__icontains="co-conception des politiques publiques"
    ).values_list("duration_days", flat=True)
    assert sorted(str(days) for days in titles) == ["2.5", "3.5"]


def test_the_reflexes_publics_tags_are_the_seven_printed(seeded):
    assert set(Tag.objects.values_list("name", flat=True)) == {
        "Influence",
        "Contact",
        "Données",
        "Commun(s)",
        "Intendance",
        "Ressources",
        "Rituels",
    }


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_every_record_has_a_source_and_a_page_or_section(seeded, model):
    missing = model.objects.filter(pages="", section="").values_list("slug", flat=True)
    assert list(missing) == []
    assert not model.objects.filter(source__isnull=True).exists()


def test_pages_look_like_page_numbers(seeded):
    for model in CONTENT_MODELS:
        for slug, pages in model.objects.exclude(pages="").values_list("slug", "pages"):
            assert re.fullmatch(r"\d+(-\d+)?(, \d+(-\d+)?)*", pages), (model.__name__, slug, pages)


def test_every_case_shows_a_practice_and_a_theme(seeded):
    assert (
        list(CaseStudy.objects.filter(practices__isnull=True).values_list("slug", flat=True)) == []
    )
    assert list(CaseStudy.objects.filter(themes__isnull=True).values_list("slug", flat=True)) == []


def test_a_practice_with_no_case_piste_or_training_says_why(seeded):
    lonely = Practice.objects.filter(
        cases__isnull=True, pistes__isnull=True, training_links__isnull=True
    )
    unexplained = [p.slug for p in lonely if "aucun cas" not in p.editor_note]
    assert unexplained == []


def test_every_cnfpt_training_teaches_a_practice(seeded):
    assert not Training.objects.filter(practice_links__isnull=True).exists()


def test_every_inspiration_is_linked_to_its_piste(seeded):
    assert not CaseStudy.objects.filter(kind="inspiration", pistes__isnull=True).exists()


def test_every_theme_is_used(seeded):
    assert Theme.objects.count() > 0
    unused = Theme.objects.filter(
        cases__isnull=True, practices__isnull=True, pistes__isnull=True, trainings__isnull=True
    )
    assert list(unused.values_list("slug", flat=True)) == []


def test_natural_keys_are_unique_within_each_fixture_model():
    for label, entries in read_fixtures().items():
        model = apps.get_model(label)
        keys = [entry_key(model, entry) for entry in entries]
        duplicates = [key for key, n in Counter(keys).items() if n > 1]
        assert duplicates == [], label


def test_territories_have_a_kind_and_french_ones_a_region(seeded):
    french = Territory.objects.exclude(
        kind__in=["etranger", "etat", "association", "entreprise", "autre"]
    )
    assert list(french.filter(region="").values_list("slug", flat=True)) == []


def test_running_seed_again_changes_nothing(seeded):
    report = seed_content()
    assert (report.created, report.updated, report.kept, report.deleted, report.errors) == (
        0,
        0,
        [],
        [],
        [],
    )


def test_seed_after_an_edit_keeps_the_edit(seeded):
    case = CaseStudy.objects.get(
        slug=CaseStudy.objects.order_by("pk").values_list("slug", flat=True)[0]
    )
    case.summary = "Résumé réécrit par une éditrice."
    case.save()
    report = seed_content()
    case.refresh_from_db()
    assert case.summary == "Résumé réécrit par une éditrice."
    assert [key for _, key, _ in report.kept] == [case.slug]


def test_every_page_of_the_content_answers(seeded, client):
    """Each record's page renders, and so do the links it shows (cases, practices, trainings…)."""
    urls = [
        record.get_absolute_url()
        for model in [*CONTENT_MODELS, Source, Territory]
        for record in model.objects.all()
    ]
    failing = [url for url in urls if client.get(url).status_code != 200]
    assert failing == []


@pytest.mark.parametrize(
    "source, kind, expected",
    [
        ("reflexes-publics-2020", "controverse", 6),
        ("reflexes-publics-2020", "terrain", 11),
        ("cnfpt-2022", "finalite", 6),
        ("cnfpt-2022", "condition", 8),
    ],
)
def test_the_reports_findings_are_all_there(seeded, source, kind, expected):
    assert Finding.objects.filter(source__slug=source, kind=kind).count() == expected


def test_the_controversies_are_numbered_in_the_reports_order(seeded):
    codes = Finding.objects.filter(kind="controverse").order_by("code")
    assert [finding.code for finding in codes] == ["1", "2", "3", "4", "5", "6"]


def test_every_link_says_what_it_rests_on(seeded):
    """A case–practice or training–practice link shows its reason to the public."""
    assert list(CasePractice.objects.filter(reason="").values_list("pk", flat=True)) == []
    assert list(TrainingPractice.objects.filter(reason="").values_list("pk", flat=True)) == []


# How a file was produced is no reader's business: words of the production, as whole words.
PRODUCTION_WORDS = re.compile(
    r"\b(helpers?|extracteurs?|fixtures?|OCR|year_start|vocabulaire (partagé|commun)"
    r"|texte extrait|Pratique créée par|champ [a-z_]+ laissé)\b",
    re.IGNORECASE,
)


def text_values(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from text_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from text_values(item)


def test_no_public_text_tells_how_the_file_was_produced():
    found = [
        (label, name, text[:80])
        for label, entries in read_fixtures().items()
        for entry in entries
        for name, value in entry["fields"].items()
        if name != "slug"
        for text in text_values(value)
        if PRODUCTION_WORDS.search(text)
    ]
    assert found == []
