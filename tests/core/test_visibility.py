"""Nothing of a draft reaches visitors: not the draft itself, nor what is reached only through it.

One draft parent of each kind, each with published records under it; every public page, the API,
the CSV downloads, the sitemap and the open data package are walked, and none of the hidden
records' names may appear.
"""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from practices.models import Status
from tests.factories import (
    OrientationFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedFindingFactory,
    PublishedPisteFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TerritoryFactory,
    TrainingPracticeFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = [
    "Orientationcachee",
    "Pistecachee",
    "Sourcecachee",
    "Cassourcecachee",
    "Pratiquecachee",
    "Territoirecache",
    "Reperecache",
]


@pytest.fixture
def drafts(world):
    """Published records reached only through a draft, beside the published `world`."""
    orientation = OrientationFactory(title="Orientationcachee", status=Status.DRAFT)
    piste = PublishedPisteFactory(title="Pistecachee", orientation=orientation)
    draft_source = SourceFactory(
        title="Sourcecachee", short_title="Sourcecachee", status=Status.DRAFT
    )
    case_of_draft_source = PublishedCaseStudyFactory(
        title="Cassourcecachee", source=draft_source, practices=world["practices"]
    )
    draft_practice = PracticeFactory(title="Pratiquecachee", status=Status.DRAFT)
    # A published case and training that point at the draft practice.
    PublishedCaseStudyFactory(practices=[world["practices"][0], draft_practice])
    TrainingPracticeFactory(training=PublishedTrainingFactory(), practice=draft_practice)
    lonely = TerritoryFactory(name="Territoirecache")
    PublishedCaseStudyFactory(territory=lonely, status=Status.DRAFT)
    finding = PublishedFindingFactory(title="Reperecache", source=draft_source)
    return {
        "orientation": orientation,
        "piste": piste,
        "source": draft_source,
        "case": case_of_draft_source,
        "practice": draft_practice,
        "territory": lonely,
        "finding": finding,
    }


def public_urls(world):
    lists = [
        reverse(name)
        for name in [
            "home",
            "gaps",
            "cases:list",
            "cases:territory_list",
            "practices:list",
            "practices:orientation_list",
            "practices:piste_list",
            "practices:finding_list",
            "practices:source_list",
            "trainings:list",
            "sitemap",
        ]
    ]
    details = [
        record.get_absolute_url()
        for kind in ["cases", "practices", "pistes", "trainings"]
        for record in world[kind]
    ]
    details += [world["cases"][0].territory.get_absolute_url()]
    details += [world["cases"][0].source.get_absolute_url()]
    details += [world["pistes"][0].orientation.get_absolute_url()]
    csv = [
        f"{reverse(name)}?format=csv"
        for name in [
            "cases:list",
            "practices:list",
            "practices:piste_list",
            "practices:orientation_list",
            "practices:finding_list",
            "trainings:list",
        ]
    ]
    api = [
        f"/api/v1/{name}/?page_size=100"
        for name in [
            "cas",
            "pratiques",
            "formations",
            "orientations",
            "pistes",
            "reperes",
            "territoires",
            "sources",
        ]
    ]
    return lists + details + csv + api


def test_nothing_reached_through_a_draft_shows_anywhere(client, world, drafts):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        shown = [word for word in HIDDEN if word in text]
        assert shown == [], url


def test_search_finds_nothing_reached_through_a_draft(client, drafts):
    for word in HIDDEN:
        response = client.get(reverse("search"), {"q": word})
        assert response.context["total"] == 0, word
        for name in ["cases:list", "practices:piste_list", "practices:finding_list"]:
            assert client.get(reverse(name), {"q": word}).context["result_count"] == 0


def test_what_hangs_on_a_draft_answers_404(client, drafts):
    for name in ["orientation", "piste", "source", "case", "practice", "territory", "finding"]:
        assert client.get(drafts[name].get_absolute_url()).status_code == 404, name
    for path in [
        f"/api/v1/pistes/{drafts['piste'].slug}/",
        f"/api/v1/cas/{drafts['case'].slug}/",
        f"/api/v1/territoires/{drafts['territory'].slug}/",
        f"/api/v1/reperes/{drafts['finding'].slug}/",
    ]:
        assert client.get(path).status_code == 404, path


def test_the_open_data_package_holds_nothing_of_a_draft(world, drafts, tmp_path):
    call_command("export_opendata", str(tmp_path))
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert [word for word in HIDDEN if word in text] == [], path.name
    assert json.loads((tmp_path / "transfo.json").read_text(encoding="utf-8"))["cas"]


def test_the_gaps_page_agrees_with_the_training_page(client, drafts):
    """A training linked only to a draft practice is a gap, and its page says it has none."""
    training = drafts["practice"].training_links.get().training
    gaps = client.get(reverse("gaps")).context["trainings_without_practice"]
    assert training in list(gaps)
    page = client.get(training.get_absolute_url())
    assert page.context["object"].published_links == []
