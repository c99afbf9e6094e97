"""`seed` loads the fixtures, is idempotent and never overwrites an editor's work."""

import json

import pytest
from django.core.management import CommandError, call_command

from cases.models import CaseStudy
from core.seeding import FIXTURE_FILES, seed_content
from practices.models import Practice, Status

pytestmark = pytest.mark.django_db

SOURCE = {
    "model": "practices.source",
    "fields": {
        "slug": "rapport",
        "title": "Un rapport",
        "short_title": "Rapport",
        "kind": "etude",
        "status": "published",
    },
}
THEME = {"model": "practices.theme", "fields": {"slug": "evaluation", "name": "Évaluation"}}
TERRITORY = {
    "model": "cases.territory",
    "fields": {
        "slug": "pessac",
        "name": "Pessac",
        "kind": "commune",
        "departement": "Gironde",
        "region": "Nouvelle-Aquitaine",
    },
}


def practice(**overrides):
    fields = {
        "slug": "budget-vert",
        "title": "Budget vert",
        "family": "fonction-support",
        "summary": "Résumé.",
        "source": ["rapport"],
        "pages": "38",
        "section": "",
        "status": "published",
        "themes": [["evaluation"]],
    }
    return {"model": "practices.practice", "fields": {**fields, **overrides}}


def case(**overrides):
    fields = {
        "slug": "pessac-accueil",
        "kind": "focus",
        "title": "Pessac : l'accueil",
        "territory": ["pessac"],
        "summary": "Résumé.",
        "themes": [["evaluation"]],
        "source": ["rapport"],
        "pages": "12",
        "status": "published",
    }
    return {"model": "cases.casestudy", "fields": {**fields, **overrides}}


LINK = {
    "model": "cases.casepractice",
    "fields": {
        "casestudy": ["pessac-accueil"],
        "practice": ["budget-vert"],
        "reason": "Le rapport présente ce budget comme l'outil de l'accueil.",
    },
}


@pytest.fixture
def fixtures_dir(tmp_path):
    def write(*entries):
        # Written in an order that needs sorting: the case before what it points at.
        (tmp_path / "taxonomy.json").write_text(
            json.dumps([LINK, case(), THEME, TERRITORY]), encoding="utf-8"
        )
        (tmp_path / "cnfpt-2022.json").write_text(json.dumps([SOURCE, *entries]), encoding="utf-8")
        for name in FIXTURE_FILES[2:]:
            (tmp_path / name).write_text("[]", encoding="utf-8")
        return tmp_path

    return write


def test_it_loads_records_with_their_links_and_search_text(fixtures_dir):
    report = seed_content(directory=fixtures_dir(practice()))
    assert report.created == 6 and report.errors == []
    loaded = CaseStudy.objects.get(slug="pessac-accueil")
    assert [p.slug for p in loaded.practices.all()] == ["budget-vert"]
    assert loaded.practice_links.get().reason == LINK["fields"]["reason"]
    assert loaded.territory.region == "Nouvelle-Aquitaine"
    assert list(CaseStudy.objects.search("pessac")) == [loaded]


def test_running_it_twice_changes_nothing(fixtures_dir):
    directory = fixtures_dir(practice())
    seed_content(directory=directory)
    before = list(Practice.objects.values())
    report = seed_content(directory=directory)
    assert (report.created, report.updated, report.kept, report.deleted) == (0, 0, [], [])
    assert report.unchanged == 6
    assert list(Practice.objects.values()) == before


def test_it_keeps_an_editors_edit_and_reports_it(fixtures_dir):
    directory = fixtures_dir(practice())
    seed_content(directory=directory)
    Practice.objects.filter(slug="budget-vert").update(
        title="Budget vert (corrigé)", status=Status.DRAFT
    )
    report = seed_content(directory=directory)
    edited = Practice.objects.get(slug="budget-vert")
    assert edited.title == "Budget vert (corrigé)"
    assert edited.status == Status.DRAFT
    assert report.kept == [("practices.practice", "budget-vert", ["status", "title"])]


def test_it_keeps_a_link_an_editor_removed(fixtures_dir):
    directory = fixtures_dir(practice())
    seed_content(directory=directory)
    CaseStudy.objects.get(slug="pessac-accueil").practices.clear()
    report = seed_content(directory=directory)
    assert CaseStudy.objects.get(slug="pessac-accueil").practices.count() == 0
    assert report.deleted == [("cases.casepractice", "pessac-accueil|budget-vert")]


def test_it_does_not_recreate_what_an_editor_deleted(fixtures_dir):
    directory = fixtures_dir(practice())
    seed_content(directory=directory)
    CaseStudy.objects.filter(slug="pessac-accueil").delete()
    report = seed_content(directory=directory)
    assert not CaseStudy.objects.filter(slug="pessac-accueil").exists()
    # Its link to the practice went with it: neither comes back.
    assert report.deleted == [
        ("cases.casestudy", "pessac-accueil"),
        ("cases.casepractice", "pessac-accueil|budget-vert"),
    ]


def test_it_applies_a_corrected_fixture_to_a_record_nobody_edited(fixtures_dir):
    seed_content(directory=fixtures_dir(practice()))
    report = seed_content(
        directory=fixtures_dir(practice(title="Budget vert et climat", pages="38-39"))
    )
    refreshed = Practice.objects.get(slug="budget-vert")
    assert (refreshed.title, refreshed.pages) == ("Budget vert et climat", "38-39")
    assert report.updated == 1
    assert list(Practice.objects.search("climat")) == [refreshed]


def test_it_adds_what_is_missing_next_to_edited_records(fixtures_dir):
    seed_content(directory=fixtures_dir(practice()))
    Practice.objects.filter(slug="budget-vert").update(summary="Réécrit par un éditeur.")
    report = seed_content(
        directory=fixtures_dir(practice(), practice(slug="budget-genre", title="Budget genré"))
    )
    assert report.created == 1
    assert Practice.objects.get(slug="budget-vert").summary == "Réécrit par un éditeur."


def test_the_command_reports_what_it_kept(fixtures_dir, capsys):
    directory = fixtures_dir(practice())
    call_command("seed", dir=str(directory))
    Practice.objects.filter(slug="budget-vert").update(title="Autre titre")
    call_command("seed", dir=str(directory))
    out = capsys.readouterr().out
    assert (
        "Conservé (modifié par un éditeur) : practices.practice « budget-vert » — champs : title"
        in out
    )


def test_a_broken_record_is_reported_and_the_rest_loads(fixtures_dir):
    broken = practice(slug="sans-provenance", pages="", section="")
    report = seed_content(directory=fixtures_dir(practice(), broken))
    assert [key for _, key, _ in report.errors] == ["sans-provenance"]
    assert Practice.objects.filter(slug="budget-vert").exists()


def training_link(**overrides):
    training = {
        "model": "trainings.training",
        "fields": {
            "slug": "budget-formation",
            "title": "Le budget vert",
            "duration_days": "2",
            "domain": "achat-finances",
            "format": "stage",
            "source": ["rapport"],
            "pages": "40",
            "status": "published",
        },
    }
    link = {
        "model": "trainings.trainingpractice",
        "fields": {"training": ["budget-formation"], "practice": ["budget-vert"], "reason": "R"},
    }
    return [training, link]


def test_it_never_moves_the_version_backwards(fixtures_dir):
    seed_content(directory=fixtures_dir(practice()))
    record = Practice.objects.get(slug="budget-vert")
    record.title = "Essai"
    record.save()
    record.title = "Budget vert"
    record.save()  # edited and put back: version 3, content as seeded
    report = seed_content(directory=fixtures_dir(practice(summary="Résumé corrigé.")))
    assert report.updated == 1
    record.refresh_from_db()
    assert (record.summary, record.version) == ("Résumé corrigé.", 4)


def test_it_writes_only_the_fields_a_fixture_holds(fixtures_dir, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "cas").mkdir(parents=True)
    Image.new("RGB", (40, 30)).save(tmp_path / "media" / "cas" / "pessac.jpg")
    seed_content(directory=fixtures_dir(practice()))
    CaseStudy.objects.filter(slug="pessac-accueil").update(
        illustration="cas/pessac.jpg", illustration_alt="La mairie", thumbnail="cas/pessac.webp"
    )
    taxonomy = fixtures_dir(practice()) / "taxonomy.json"
    taxonomy.write_text(
        json.dumps([case(summary="Résumé corrigé."), THEME, TERRITORY]), encoding="utf-8"
    )
    report = seed_content(directory=taxonomy.parent)
    assert report.updated == 1
    edited = CaseStudy.objects.get(slug="pessac-accueil")
    assert edited.summary == "Résumé corrigé."
    assert (edited.illustration.name, edited.illustration_alt, edited.thumbnail.name) == (
        "cas/pessac.jpg",
        "La mairie",
        "cas/pessac.webp",
    )


def test_it_goes_on_after_an_editor_deleted_a_linked_practice(fixtures_dir, capsys):
    directory = fixtures_dir(practice(), *training_link())
    seed_content(directory=directory)
    Practice.objects.filter(slug="budget-vert").delete()
    call_command("seed", dir=str(directory))  # no CommandError: exit 0
    out = capsys.readouterr().out
    assert "Non recréé (supprimé par un éditeur) : practices.practice « budget-vert »" in out
    assert "cases.casepractice « pessac-accueil|budget-vert »" in out
    assert "trainings.trainingpractice « budget-formation|budget-vert »" in out
    assert not Practice.objects.exists()


def test_it_goes_on_after_an_editor_deleted_a_tag(fixtures_dir):
    tag = {"model": "practices.tag", "fields": {"slug": "soin", "name": "Soin"}}
    orientation = {
        "model": "practices.orientation",
        "fields": {"slug": "o1", "number": 1, "title": "O", "source": ["rapport"], "pages": "1"},
    }
    piste = {
        "model": "practices.piste",
        "fields": {
            "slug": "p1",
            "orientation": ["o1"],
            "number": 1,
            "title": "P",
            "tags": [["soin"]],
            "source": ["rapport"],
            "pages": "1",
        },
    }
    directory = fixtures_dir(practice(), tag, orientation, piste)
    seed_content(directory=directory)
    from practices.models import Tag

    Tag.objects.all().delete()
    report = seed_content(directory=directory)
    assert report.errors == []
    assert report.dropped == [("practices.piste", "p1", "practices.tag", "soin")]


@pytest.mark.parametrize("missing", ["directory", "file"])
def test_it_fails_loudly_on_missing_fixtures(fixtures_dir, tmp_path, missing):
    if missing == "directory":
        directory = tmp_path / "nulle-part"
    else:
        directory = fixtures_dir(practice())
        (directory / "reflexes-publics.json").unlink()
    with pytest.raises(CommandError, match="introuvable.*Rien n'a été chargé"):
        call_command("seed", dir=str(directory))
    assert not Practice.objects.exists()
