"""No edit is ever lost: simultaneous saves, inlines edited from elsewhere, reverts, bulk actions."""

import json

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.models import VersionConflict
from core.versioning import VersionedForm
from practices.models import Orientation, Piste, Practice, Status
from tests.factories import (
    OrientationFactory,
    PisteFactory,
    PracticeFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    TrainingPracticeFactory,
)
from tests.transfo.test_workflow import change_url, practice_form

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


class PracticeForm(VersionedForm):
    class Meta:
        model = Practice
        fields = ["title", "summary"]


def test_of_two_saves_from_the_same_version_exactly_one_wins_and_the_other_is_refused():
    practice = PracticeFactory(summary="Initial.")
    first = Practice.objects.get(pk=practice.pk)
    second = Practice.objects.get(pk=practice.pk)
    first.summary = "Premier."
    first.save()
    second.summary = "Second."
    with pytest.raises(VersionConflict), transaction.atomic():
        second.save()
    practice.refresh_from_db()
    assert (practice.summary, practice.version) == ("Premier.", 2)
    assert practice.history.count() == 2  # the refused save left no history either


def test_two_forms_validated_at_the_same_instant_cannot_both_save():
    # The race of the review: both forms pass their checks before either writes.
    practice = PracticeFactory(title="Budget vert", summary="Initial.")
    data = {"title": "Budget vert", "loaded_version": practice.version}
    first = PracticeForm({**data, "summary": "Premier."}, instance=Practice.objects.get())
    second = PracticeForm({**data, "summary": "Second."}, instance=Practice.objects.get())
    assert first.is_valid() and second.is_valid()
    first.save()
    with pytest.raises(VersionConflict), transaction.atomic():
        second.save()
    assert Practice.objects.get().summary == "Premier."


def test_the_version_only_ever_increases_even_through_update_fields():
    practice = PracticeFactory()
    practice.status = Status.PUBLISHED
    practice.save(update_fields=["status"])
    assert Practice.objects.get().version == 2


def piste_inline_form(orientation, piste, **overrides):
    data = {
        "source": orientation.source_id,
        "number": orientation.number,
        "title": orientation.title,
        "slug": orientation.slug,
        "summary": orientation.summary,
        "pages": orientation.pages,
        "section": "",
        "editor_note": "",
        "status": orientation.status,
        "loaded_version": orientation.version,
        "pistes-TOTAL_FORMS": "1",
        "pistes-INITIAL_FORMS": "1",
        "pistes-0-id": piste.pk,
        "pistes-0-orientation": orientation.pk,
        "pistes-0-number": piste.number,
        "pistes-0-title": piste.title,
        "pistes-0-slug": piste.slug,
        "pistes-0-status": piste.status,
        "pistes-0-lever": piste.lever,
        "pistes-0-details": piste.details,
        "pistes-0-printed_tags": piste.printed_tags,
        "pistes-0-source": piste.source_id,
        "pistes-0-pages": piste.pages,
        "pistes-0-section": piste.section,
        "pistes-0-loaded_version": piste.version,
    }
    return {**data, **{f"pistes-0-{key}": value for key, value in overrides.items()}}


@pytest.fixture
def orientation_with_a_piste():
    orientation = OrientationFactory(summary="Orientation.")
    piste = PisteFactory(orientation=orientation, lever="Levier d'origine.")
    return orientation, Piste.objects.get(pk=piste.pk)


def test_an_orientation_saved_from_an_old_page_keeps_a_piste_edited_meanwhile(
    editor, orientation_with_a_piste
):
    orientation, opened = orientation_with_a_piste
    # Someone edits the piste on its own page…
    piste = Piste.objects.get(pk=opened.pk)
    piste.lever = "Levier corrigé."
    piste.save()
    # …then the orientation is saved from a page opened before, the piste untouched in it.
    response = client_for(editor).post(
        change_url(orientation), piste_inline_form(orientation, opened, **{"loaded_version": 1})
    )
    assert response.status_code == 302
    assert Piste.objects.get().lever == "Levier corrigé."


def test_an_orientation_page_refuses_to_overwrite_a_piste_field_edited_meanwhile(
    editor, orientation_with_a_piste
):
    orientation, opened = orientation_with_a_piste
    piste = Piste.objects.get(pk=opened.pk)
    piste.lever = "Levier corrigé."
    piste.save()
    response = client_for(editor).post(
        change_url(orientation), piste_inline_form(orientation, opened, lever="Mon levier.")
    )
    assert response.status_code == 200
    assert "a changé le même champ que vous" in response.content.decode()
    assert Piste.objects.get().lever == "Levier corrigé."


def link_from_practice_page(practice, link, reason):
    data = practice_form(practice)
    data.update(
        {
            "training_links-TOTAL_FORMS": "1",
            "training_links-INITIAL_FORMS": "1",
            "training_links-0-id": link.pk,
            "training_links-0-practice": practice.pk,
            "training_links-0-training": link.training_id,
            "training_links-0-reason": reason,
            "training_links-0-loaded_values": json.dumps(
                {
                    "training": str(link.training_id),
                    "practice": str(link.practice_id),
                    "reason": link.reason,
                }
            ),
        }
    )
    return data


def test_a_link_reason_changed_from_the_training_page_is_not_overwritten_from_the_practice_page(
    editor,
):
    practice = PublishedPracticeFactory()
    opened = TrainingPracticeFactory(practice=practice, reason="Raison d'origine.")
    # A trainer rewrites the reason from the training's page (simulated by a direct save).
    link = type(opened).objects.get()
    link.reason = "Raison du formateur."
    link.save()
    editor_client = client_for(editor)
    # The editor's page, opened before, leaves the link as it was: the trainer's reason stays.
    response = editor_client.post(
        change_url(practice), link_from_practice_page(practice, opened, "Raison d'origine.")
    )
    assert response.status_code == 302
    assert type(opened).objects.get().reason == "Raison du formateur."
    # The editor's page changes the reason too: refused, the trainer's reason stays.
    practice.refresh_from_db()
    response = editor_client.post(
        change_url(practice), link_from_practice_page(practice, opened, "Raison de l'éditrice.")
    )
    assert response.status_code == 200
    assert "Ce lien a été modifié ou supprimé par quelqu’un d’autre" in response.content.decode()
    assert type(opened).objects.get().reason == "Raison du formateur."


def test_a_trainer_linking_a_training_never_blocks_an_editors_open_form(editor, trainer):
    practice = PublishedPracticeFactory(title="Design de services", summary="Initial.")
    opened = practice.version
    training = PublishedTrainingFactory()
    data = practice_form(practice)
    data.update(
        {
            "training_links-TOTAL_FORMS": "1",
            "training_links-0-training": training.pk,
            "training_links-0-reason": "Module 2.",
        }
    )
    assert client_for(trainer).post(change_url(practice), data).status_code == 302
    practice.refresh_from_db()
    assert practice.version == opened  # the practice itself did not change
    response = client_for(editor).post(
        change_url(practice), practice_form(practice, summary="Résumé de l'éditrice.")
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.summary == "Résumé de l'éditrice."
    assert practice.training_links.get().reason == "Module 2."


def revert_url(practice, record):
    return reverse("admin:practices_practice_simple_history", args=[practice.pk, record.pk])


@pytest.fixture
def edited_practice(editor):
    practice = PublishedPracticeFactory(summary="Première version.")
    client_for(editor).post(change_url(practice), practice_form(practice, summary="Erreur."))
    practice.refresh_from_db()
    return practice


def test_a_trainer_sees_an_old_version_of_a_practice_read_only(trainer, edited_practice):
    first = edited_practice.history.earliest("history_date")
    response = client_for(trainer).get(revert_url(edited_practice, first))
    assert response.status_code == 200  # was a 500, KeyError: 'slug'
    assert 'name="_save"' not in response.content.decode()


def test_a_trainer_cannot_revert_a_practice(trainer, edited_practice):
    first = edited_practice.history.earliest("history_date")
    data = practice_form(edited_practice, summary="Première version.", status=Status.DRAFT)
    response = client_for(trainer).post(revert_url(edited_practice, first), data)
    assert response.status_code == 403
    edited_practice.refresh_from_db()
    assert (edited_practice.summary, edited_practice.status) == ("Erreur.", Status.PUBLISHED)


def test_a_trainer_cannot_revert_a_case_or_a_territory(trainer):
    from tests.factories import CaseStudyFactory

    case = CaseStudyFactory(title="Titre")
    case.title = "Titre corrigé"
    case.save()
    first = case.history.earliest("history_date")
    client = client_for(trainer)
    url = reverse("admin:cases_casestudy_simple_history", args=[case.pk, first.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Titre"}).status_code == 403
    territory = case.territory
    territory.name = "Nouveau nom"
    territory.save()
    first = territory.history.earliest("history_date")
    url = reverse("admin:cases_territory_simple_history", args=[territory.pk, first.pk])
    assert client.post(url, {"name": "Ancien"}).status_code == 403


def test_an_editor_reverts_and_the_version_moves_forward(editor, edited_practice):
    first = edited_practice.history.earliest("history_date")
    client = client_for(editor)
    form = client.get(revert_url(edited_practice, first)).context["adminform"].form
    assert form["loaded_version"].value() == edited_practice.version == 2
    data = practice_form(edited_practice, summary="Première version.", loaded_version=2)
    response = client.post(revert_url(edited_practice, first), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    edited_practice.refresh_from_db()
    assert (edited_practice.summary, edited_practice.version) == ("Première version.", 3)
    # A form opened before the revert does not silently undo it.
    stale = practice_form(edited_practice, summary="Erreur.", loaded_version=2)
    client.post(change_url(edited_practice), stale)
    edited_practice.refresh_from_db()
    assert edited_practice.summary == "Première version."


def test_a_revert_in_code_continues_the_version():
    practice = PracticeFactory(summary="Première version.")
    practice.summary = "Erreur."
    practice.save()
    practice.history.earliest("history_date").instance.save()
    practice.refresh_from_db()
    assert (practice.summary, practice.version) == ("Première version.", 3)


def test_a_superuser_reverts_too(admin_user, edited_practice):
    first = edited_practice.history.earliest("history_date")
    data = practice_form(edited_practice, summary="Première version.")
    response = client_for(admin_user).post(revert_url(edited_practice, first), data)
    assert response.status_code == 302


def test_a_visitor_cannot_open_the_revert_page(client, edited_practice):
    first = edited_practice.history.earliest("history_date")
    response = client.post(revert_url(edited_practice, first), {"summary": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_editor_opening_a_trainers_only_rights_group_is_unchanged():
    # The fix changes code, not the groups' rights.
    trainers = Group.objects.get(name="Formateurs")
    assert not trainers.permissions.filter(codename="change_practice_content").exists()


def test_publishing_in_bulk_saves_over_the_current_version(editor):
    practice = PracticeFactory(status=Status.DRAFT)
    Practice.objects.filter(pk=practice.pk).update(version=7)
    client_for(editor).post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish", "_selected_action": [practice.pk]},
    )
    practice.refresh_from_db()
    assert (practice.status, practice.version) == (Status.PUBLISHED, 8)


def test_a_record_deleted_while_being_edited_is_reported(editor):
    orientation = OrientationFactory()
    form_data = {
        "source": orientation.source_id,
        "number": orientation.number,
        "title": "Nouveau titre",
        "slug": orientation.slug,
        "summary": "",
        "pages": "1",
        "section": "",
        "editor_note": "",
        "status": orientation.status,
        "loaded_version": orientation.version,
    }

    class OrientationForm(VersionedForm):
        class Meta:
            model = Orientation
            fields = list(form_data)[:-1]

    form = OrientationForm(form_data, instance=orientation)
    Orientation.objects.filter(pk=orientation.pk).delete()
    assert not form.is_valid()
    assert "supprimée pendant que vous la modifiiez" in str(form.errors)


def test_the_conflict_message_gives_the_paris_time_and_reads_well(editor, admin_user):
    import datetime

    practice = PracticeFactory(summary="Initial.")
    opened = practice.version
    client_for(editor).post(change_url(practice), practice_form(practice, summary="Sa version."))
    # Saved at 10:00 UTC on 1 July: 12:00 in Paris (summer time).
    practice.history.filter(version=opened + 1).update(
        history_date=datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    )
    response = client_for(admin_user).post(
        change_url(practice),
        practice_form(practice, summary="Ma version.", loaded_version=opened),
    )
    page = response.content.decode()
    assert "l’a enregistrée (le 01/07/2026 à 12:00)" in page
    assert "a changé le même champ que vous : « résumé »" in page  # one field: singular
