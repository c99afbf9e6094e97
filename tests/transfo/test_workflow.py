"""Editors and trainers in the admin: roles, statuses, history, no lost edit, safe text."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cases.models import CaseStudy
from practices.models import Practice, Status
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
)
from trainings.models import TrainingPractice

pytestmark = pytest.mark.django_db


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def practice_form(practice, **overrides):
    data = {
        "title": practice.title,
        "slug": practice.slug,
        "family": practice.family,
        "summary": practice.summary,
        "description": practice.description,
        "success_factors": "",
        "obstacles": "",
        "source": practice.source_id,
        "pages": practice.pages,
        "section": practice.section,
        "editor_note": "",
        "status": practice.status,
        "loaded_version": practice.version,
        "training_links-TOTAL_FORMS": "0",
        "training_links-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_the_two_groups_exist_with_exactly_these_names():
    assert set(Group.objects.values_list("name", flat=True)) == {"Éditeurs", "Formateurs"}


def test_an_editor_edits_and_publishes_a_case(editor_client):
    case = CaseStudyFactory(status=Status.DRAFT, practices=[PublishedPracticeFactory()])
    url = reverse("admin:cases_casestudy_changelist")
    response = editor_client.post(url, {"action": "publish", "_selected_action": [case.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED


def test_a_trainer_cannot_change_a_case_study(trainer_client):
    case = CaseStudyFactory()
    assert trainer_client.get(change_url(case)).status_code == 200  # can see it
    response = trainer_client.post(change_url(case), {"title": "Changé"})
    assert response.status_code == 403
    assert trainer_client.get(reverse("admin:cases_casestudy_add")).status_code == 403


def test_a_trainer_cannot_publish(trainer_client):
    practice = PracticeFactory(status=Status.DRAFT)
    trainer_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish", "_selected_action": [practice.pk]},
    )
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT


def test_a_trainer_links_a_training_from_a_practice_page_without_changing_the_practice(
    trainer_client,
):
    practice = PublishedPracticeFactory(title="Design de services")
    training = PublishedTrainingFactory()
    data = practice_form(practice, title="Titre changé par un formateur")
    data.update(
        {
            "training_links-TOTAL_FORMS": "1",
            "training_links-0-training": training.pk,
            "training_links-0-reason": "Le module 2 traite du design de services.",
        }
    )
    response = trainer_client.post(change_url(practice), data)
    assert response.status_code == 302
    link = TrainingPractice.objects.get()
    assert (link.training, link.practice, link.reason) == (
        training,
        practice,
        "Le module 2 traite du design de services.",
    )
    practice.refresh_from_db()
    assert practice.title == "Design de services"


def test_a_trainer_links_practices_from_a_training_page(trainer_client):
    training = PublishedTrainingFactory()
    practice = PublishedPracticeFactory()
    data = {
        "title": training.title,
        "slug": training.slug,
        "domain": training.domain,
        "format": training.format,
        "duration_days": "2",
        "duration_label": "",
        "audience": "",
        "objectives": "",
        "source": training.source_id,
        "pages": "11",
        "section": "",
        "editor_note": "",
        "status": training.status,
        "loaded_version": training.version,
        "practice_links-TOTAL_FORMS": "1",
        "practice_links-INITIAL_FORMS": "0",
        "practice_links-0-practice": practice.pk,
        "practice_links-0-reason": "Objectif 1",
    }
    assert trainer_client.post(change_url(training), data).status_code == 302
    assert list(training.practices.all()) == [practice]


def test_the_admin_index_links_to_the_gaps_view(editor_client):
    assert reverse("gaps") in editor_client.get(reverse("admin:index")).content.decode()


def test_two_edits_of_different_fields_are_merged_and_the_second_editor_is_told(editor, admin_user):
    practice = PracticeFactory(title="Budget vert", summary="Version initiale.")
    opened = practice.version
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(admin_user)
    # Both open the record; the first saves.
    assert (
        first.post(
            change_url(practice), practice_form(practice, summary="Corrigé par l'éditrice.")
        ).status_code
        == 302
    )
    # The second saves another field from the version they opened: both changes are kept.
    response = second.post(
        change_url(practice),
        practice_form(practice, title="Budget climat", loaded_version=opened),
        follow=True,
    )
    page = response.content.decode()
    assert "ditrice a enregistré cette fiche pendant que vous la modifiiez" in page
    assert "« résumé »" in page
    practice.refresh_from_db()
    assert (practice.title, practice.summary) == ("Budget climat", "Corrigé par l'éditrice.")
    assert practice.version == opened + 2


def test_the_second_of_two_edits_of_the_same_field_is_refused_with_both_values_shown(
    editor, admin_user
):
    practice = PracticeFactory(title="Budget vert", summary="Version initiale.")
    opened = practice.version
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(admin_user)
    first.post(change_url(practice), practice_form(practice, summary="Corrigé par l'éditrice."))
    response = second.post(
        change_url(practice),
        practice_form(practice, summary="Ma version du résumé.", loaded_version=opened),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pendant que vous modifiiez cette fiche, editrice l’a enregistrée" in page
    assert "a changé le même champ que vous : « résumé »" in page
    assert "Corrigé par l&#x27;éditrice." in page  # their value, beside…
    assert "Ma version du résumé." in page  # …the second editor's input, kept
    practice.refresh_from_db()
    assert practice.summary == "Corrigé par l'éditrice."
    # Saving again, having seen both, keeps the second editor's input.
    form = response.context["adminform"].form
    assert form["loaded_version"].value() == practice.version
    again = second.post(
        change_url(practice),
        practice_form(practice, summary="Ma version du résumé.", loaded_version=practice.version),
    )
    assert again.status_code == 302
    practice.refresh_from_db()
    assert practice.summary == "Ma version du résumé."


def test_history_shows_both_versions_and_who_made_them(editor_client, editor):
    practice = PracticeFactory(summary="Première version.")
    editor_client.post(change_url(practice), practice_form(practice, summary="Seconde version."))
    history = practice.history.order_by("history_date")
    assert [h.summary for h in history] == ["Première version.", "Seconde version."]
    assert history.last().history_user == editor
    delta = history.last().diff_against(history.first())
    assert [change.field for change in delta.changes] == ["summary"]
    page = editor_client.get(
        reverse("admin:practices_practice_history", args=[practice.pk])
    ).content.decode()
    # The changed word is highlighted on each side; the unchanged words are kept around it.
    assert "<del>Première</del> version." in page and "<ins>Seconde</ins> version." in page


def test_an_editor_reverts_to_an_earlier_version(editor_client):
    practice = PracticeFactory(summary="Première version.")
    editor_client.post(change_url(practice), practice_form(practice, summary="Erreur."))
    first = practice.history.earliest("history_date")
    first.instance.save()
    practice.refresh_from_db()
    assert practice.summary == "Première version."


def test_publishing_in_bulk_is_recorded_in_history(editor_client):
    practice = PracticeFactory(status=Status.DRAFT)
    editor_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish", "_selected_action": [practice.pk]},
    )
    assert [h.status for h in practice.history.order_by("history_date")] == [
        Status.DRAFT,
        Status.PUBLISHED,
    ]


def test_a_script_typed_in_a_field_never_runs_on_the_public_site(client):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    case = PublishedCaseStudyFactory(
        title=f"Cas {payload}",
        summary=payload,
        method=payload,
        results=payload,
        key_facts=payload,
        editor_note=payload,
    )
    # The search page highlights the words searched: search a word outside the payload.
    for url in [case.get_absolute_url(), reverse("cases:list"), reverse("search") + "?q=cas"]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "factory, fields",
    [
        (
            "PublishedPracticeFactory",
            [
                "title",
                "summary",
                "description",
                "success_factors",
                "obstacles",
                "editor_note",
                "section",
            ],
        ),
        (
            "PublishedTrainingFactory",
            ["title", "duration_label", "audience", "objectives", "editor_note"],
        ),
        ("PublishedPisteFactory", ["title", "lever", "details", "printed_tags", "editor_note"]),
        ("PublishedOrientationFactory", ["title", "summary", "editor_note"]),
        (
            "PublishedCaseStudyFactory",
            ["commissioner", "period", "actors", "success_factors", "limits", "section"],
        ),
    ],
)
def test_every_text_field_is_rendered_inert(client, factory, fields):
    from tests import factories

    payload = '<script>alert("x")</script>'
    record = getattr(factories, factory)(**{field: f"{field} {payload}" for field in fields})
    html = client.get(record.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;") >= 1


def test_drafts_stay_hidden_from_visitors_but_staff_can_preview(editor_client):
    draft = CaseStudyFactory(status=Status.REVIEW)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert CaseStudy.objects.published().count() == 0
    assert Practice.objects.published().count() == 0
