from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from practices.models import Practice, Status
from tests.factories import (
    OrientationFactory,
    PracticeFactory,
    PublishedPracticeFactory,
    SourceFactory,
    TrainingFactory,
)
from trainings.models import Training

pytestmark = pytest.mark.django_db


def test_it_refuses_two_records_with_the_same_slug():
    PracticeFactory(slug="budget-vert")
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeFactory(slug="budget-vert")


def test_it_refuses_two_orientations_with_the_same_number_in_one_source():
    source = SourceFactory()
    OrientationFactory(source=source, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrientationFactory(source=source, number=1)


def test_it_allows_the_same_orientation_number_in_another_source():
    OrientationFactory(number=1)
    OrientationFactory(number=1)


def test_it_requires_a_page_or_a_section():
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeFactory(pages="", section="")
    PracticeFactory(pages="", section="Annexe 1")


def test_it_refuses_an_unknown_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeFactory(status="archived")


def test_it_refuses_a_negative_training_duration():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingFactory(duration_days=Decimal("-1"))


def test_a_training_without_duration_shows_its_label_or_says_so():
    training = TrainingFactory(
        duration_days=None, duration_label="Webinaire", format=Training.Format.WEBINAR
    )
    assert training.duration_display == "Webinaire"
    assert (
        TrainingFactory(duration_days=None, duration_label="").duration_display
        == "durée non précisée"
    )


def test_a_training_shows_its_duration_in_french():
    assert TrainingFactory(duration_days=Decimal("2.5")).duration_display == "2,5 jours"
    assert TrainingFactory(duration_days=Decimal("1")).duration_display == "1 jour"


def test_published_keeps_only_published_records():
    published = PublishedPracticeFactory()
    PracticeFactory(status=Status.DRAFT)
    PracticeFactory(status=Status.REVIEW)
    assert list(Practice.objects.published()) == [published]


@pytest.mark.parametrize("query", ["ecole", "école", "Ecole", "ÉCOLE", "  écoLE  "])
def test_search_ignores_accents_and_case(query):
    school = PracticeFactory(title="Une École du numérique")
    PracticeFactory(title="Budget vert")
    assert list(Practice.objects.search(query)) == [school]


def test_search_needs_every_word():
    both = PracticeFactory(title="Budget participatif des écoles")
    PracticeFactory(title="Budget vert")
    assert list(Practice.objects.search("budget ecoles")) == [both]


def test_search_with_no_word_finds_nothing():
    PracticeFactory(title="Budget vert")
    assert list(Practice.objects.search("  !!  \x00")) == []


def test_provenance_names_the_report_and_the_page():
    practice = PracticeFactory(source=SourceFactory(short_title="CNFPT 2022"), pages="11")
    assert practice.provenance == "CNFPT 2022, p. 11"
    practice.pages, practice.section = "", "Annexe 1"
    assert practice.provenance == "CNFPT 2022, Annexe 1"
