"""The editors' and trainers' workspace: workflow buttons per role, completeness checks, the admin
home of each person, readable history, forms that help, and contributions from the field."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStudy, Contribution
from core.models import Status
from core.services import TransitionRefused, content_transition
from tests.admin_forms import admin_form_data
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    PublishedTrainingFactory,
    SourceFactory,
    TerritoryFactory,
    TrainingFactory,
    TrainingPracticeFactory,
)
from trainings.models import TrainingPractice

pytestmark = pytest.mark.django_db


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def transition_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk])


def complete_case(**kwargs):
    return CaseStudyFactory(practices=[PublishedPracticeFactory()], **kwargs)


# --- 1. Workflow -------------------------------------------------------------------------------


def test_only_editors_hold_the_right_to_publish(editor, trainer):
    assert editor.has_perm("core.publish_content")
    assert not trainer.has_perm("core.publish_content")


def test_an_editor_publishes_a_complete_case_with_a_comment_kept_in_history(editor_client):
    case = complete_case(status=Status.REVIEW)
    response = editor_client.post(
        transition_url(case), {"transition": "publish", "comment": "Relu avec la source"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    latest = case.history.first()
    assert latest.history_change_reason == "Relu avec la source"
    assert latest.history_user.username == "editrice"


def test_publishing_an_incomplete_case_is_refused_with_the_list_of_what_to_fix(editor_client):
    case = CaseStudyFactory(territory=None, pages="", section="Encadré", status=Status.DRAFT)
    response = editor_client.post(transition_url(case), {"transition": "publish"}, follow=True)
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    page = response.content.decode()
    assert "Pour publier, il reste à corriger" in page
    assert "Indiquez le territoire" in page and "au moins une pratique" in page
    # The change page lists them too, before anyone presses the button.
    assert "Avant de publier, corrigez" in editor_client.get(change_url(case)).content.decode()


def test_a_case_whose_source_is_not_published_cannot_be_published(editor):
    case = complete_case(source=SourceFactory(status=Status.DRAFT))
    with pytest.raises(TransitionRefused) as refused:
        content_transition(case, "publish", editor)
    assert "n’est pas publiée" in refused.value.problems[0]


def test_a_trainer_submits_a_training_for_review_but_cannot_publish_it(trainer_client):
    training = TrainingFactory(status=Status.DRAFT)
    page = trainer_client.get(change_url(training)).content.decode()
    assert "Soumettre à relecture" in page
    assert 'value="publish"' not in page and "Enregistrer et publier" not in page

    trainer_client.post(transition_url(training), {"transition": "submit", "comment": "Prête"})
    training.refresh_from_db()
    assert training.status == Status.REVIEW

    # Forging the request does not help: the server checks the right.
    response = trainer_client.post(transition_url(training), {"transition": "publish"})
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.status == Status.REVIEW


def test_a_trainer_cannot_submit_a_case_they_may_not_change(trainer_client):
    case = complete_case(status=Status.DRAFT)
    assert trainer_client.post(transition_url(case), {"transition": "submit"}).status_code == 403


def test_an_editor_sends_back_and_unpublishes(editor_client):
    waiting = complete_case(status=Status.REVIEW)
    published = PublishedCaseStudyFactory(practices=[PublishedPracticeFactory()])
    editor_client.post(transition_url(waiting), {"transition": "send_back", "comment": "À revoir"})
    editor_client.post(transition_url(published), {"transition": "unpublish"})
    waiting.refresh_from_db()
    published.refresh_from_db()
    assert (waiting.status, published.status) == (Status.DRAFT, Status.DRAFT)


def test_a_transition_from_the_wrong_status_is_refused(editor_client):
    draft = complete_case(status=Status.DRAFT)
    editor_client.post(transition_url(draft), {"transition": "unpublish"})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_status_cannot_be_changed_through_the_form(editor_client):
    practice = PracticeFactory(status=Status.DRAFT)
    data = {
        "title": practice.title,
        "slug": practice.slug,
        "family": practice.family,
        "summary": practice.summary,
        "description": "",
        "success_factors": "",
        "obstacles": "",
        "source": practice.source_id,
        "pages": "11",
        "section": "",
        "editor_note": "",
        "status": Status.PUBLISHED,
        "loaded_version": practice.version,
        "training_links-TOTAL_FORMS": "0",
        "training_links-INITIAL_FORMS": "0",
    }
    assert editor_client.post(change_url(practice), data).status_code == 302
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT


def test_save_and_publish_saves_then_publishes_when_complete(editor_client):
    source = SourceFactory()
    practice = PublishedPracticeFactory()
    territory = TerritoryFactory()
    data = {
        "title": "Un budget participatif à Niort",
        "slug": "budget-niort",
        "kind": CaseStudy.Kind.FOCUS,
        "territory": territory.pk,
        "practice_links-TOTAL_FORMS": "1",
        "practice_links-INITIAL_FORMS": "0",
        "practice_links-0-practice": practice.pk,
        "practice_links-0-reason": "Le rapport cite ce budget participatif.",
        "source": source.pk,
        "pages": "12",
        "_publish": "Enregistrer et publier",
    }
    response = editor_client.post(reverse("admin:cases_casestudy_add"), data)
    case = CaseStudy.objects.get(slug="budget-niort")
    assert response.status_code == 302 and response.url == change_url(case)
    assert case.status == Status.PUBLISHED


def test_editing_a_published_record_says_the_change_goes_live_on_save(editor_client):
    case = PublishedCaseStudyFactory()
    page = editor_client.get(change_url(case)).content.decode()
    assert "visibles sur le site dès l’enregistrement" in page
    assert "Dépublier" in page


def test_bulk_publish_publishes_the_complete_and_names_the_others(editor_client):
    complete, incomplete = complete_case(), CaseStudyFactory(title="Cas sans pratique")
    response = editor_client.post(
        reverse("admin:cases_casestudy_changelist"),
        {"action": "publish", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert (complete.status, incomplete.status) == (Status.PUBLISHED, Status.DRAFT)
    assert "« Cas sans pratique »" in response.content.decode()


def test_a_trainer_has_no_bulk_publish_action(trainer_client):
    page = trainer_client.get(reverse("admin:trainings_training_changelist")).content.decode()
    assert 'value="publish"' not in page


# --- 1. The admin home of each person ----------------------------------------------------------


def test_the_editors_home_lists_what_waits_for_review_their_drafts_and_recent_changes(
    editor_client, editor, admin_user
):
    waiting = complete_case(title="Cas en attente", status=Status.REVIEW)
    mine = PracticeFactory(title="Mon brouillon")
    mine.summary = "Repris."
    mine._history_user = editor
    mine.save()
    someone_elses = PracticeFactory(title="Brouillon d’un autre")
    someone_elses._history_user = admin_user
    someone_elses.save()
    page = editor_client.get(reverse("admin:index")).content.decode()
    review = page.split('id="a-relire"')[1].split("</section>")[0]
    drafts = page.split('id="mes-brouillons"')[1].split("</section>")[0]
    recent = page.split('id="modifies"')[1].split("</section>")[0]
    assert waiting.title in review
    assert "Mon brouillon" in drafts and "Brouillon d’un autre" not in drafts
    assert "Mon brouillon" in recent and "editrice" in recent


@pytest.mark.parametrize("rows", [1, 4])
def test_the_admin_home_runs_a_fixed_number_of_queries(
    editor_client, editor, rows, django_assert_num_queries
):
    for _ in range(rows):
        complete_case(status=Status.REVIEW)
        draft = PracticeFactory()
        draft._history_user = editor
        draft.save()
        TrainingFactory()
    # session, user, the user's and the group's permissions; per workflow model (6): the records
    # to review, the user's drafts, the latest history; practices without training and their count
    with django_assert_num_queries(4 + 6 * 3 + 2):
        editor_client.get(reverse("admin:index"))


def test_the_trainers_home_lists_practices_without_training_with_a_link_each(trainer_client):
    lonely = PublishedPracticeFactory(title="Budget vert")
    TrainingPracticeFactory(practice=PublishedPracticeFactory(title="Design de services"))
    page = trainer_client.get(reverse("admin:index")).content.decode()
    assert 'id="a-relire"' not in page  # trainers do not review
    gaps = page.split('id="sans-formation"')[1].split("</section>")[0]
    assert "Budget vert" in gaps and "Design de services" not in gaps
    link = reverse("admin:trainings_trainingpractice_add") + f"?practice={lonely.pk}"
    assert link in gaps


def test_a_trainer_links_a_training_from_the_prefilled_form(trainer_client):
    practice = PublishedPracticeFactory(title="Budget vert")
    training = PublishedTrainingFactory()
    url = reverse("admin:trainings_trainingpractice_add") + f"?practice={practice.pk}"
    form_page = trainer_client.get(url).content.decode()
    assert f'<option value="{practice.pk}" selected>Budget vert</option>' in form_page
    assert "<textarea" in form_page  # the reason is written on several lines
    response = trainer_client.post(
        url, {"practice": practice.pk, "training": training.pk, "reason": "Module 1."}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert TrainingPractice.objects.filter(practice=practice, training=training).exists()


# --- 2. History people can read ----------------------------------------------------------------


def test_history_is_in_french_with_labels_names_local_time_and_an_escaped_word_diff(
    editor_client, editor
):
    practice = PublishedPracticeFactory(title="Budget vert")
    case = CaseStudyFactory(summary="Une école ouverte.", practices=[])
    case.summary = "Une école <b>fermée</b>."
    case._history_user = editor
    case.save()
    case.practices.add(practice)
    content_transition(case, "submit", editor, "Prêt pour relecture")
    case.history.update(history_date=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC))
    page = editor_client.get(
        reverse("admin:cases_casestudy_history", args=[case.pk])
    ).content.decode()
    assert "Résumé" in page and "Statut" in page
    assert "À relire" in page and "Brouillon" in page and "review" not in page.split("<tbody>")[1]
    assert "<del>ouverte.</del>" in page
    assert "<ins>&lt;b&gt;fermée&lt;/b&gt;.</ins>" in page
    assert "Budget vert" in page  # the M2M link by name
    assert "editrice" in page and "Prêt pour relecture" in page
    assert "2 novembre 2026 à 10:30" in page  # Paris time, UTC+1 in November
    assert "Comparer deux versions" in page


def test_restore_is_offered_on_each_earlier_row_but_not_on_the_current_one(editor_client, editor):
    case = CaseStudyFactory(summary="Première.")
    case.summary = "Seconde."
    case.save()
    first, current = case.history.order_by("history_date")
    page = editor_client.get(
        reverse("admin:cases_casestudy_history", args=[case.pk])
    ).content.decode()
    restore_first = reverse("admin:cases_casestudy_simple_history", args=[case.pk, first.pk])
    restore_current = reverse("admin:cases_casestudy_simple_history", args=[case.pk, current.pk])
    assert restore_first in page and "Rétablir cette version" in page
    assert restore_current not in page
    assert "Version actuelle" in page
    # The version form's button says what it does, and the page names the record in French.
    restore_page = editor_client.get(restore_first).content.decode()
    assert 'value="Rétablir cette version"' in restore_page
    assert "Historical" not in restore_page and "Cases" not in restore_page


def test_restoring_a_version_restores_its_links_too(editor_client):
    before, after = PublishedPracticeFactory(title="Avant"), PublishedPracticeFactory(title="Après")
    case = CaseStudyFactory(practices=[before])
    case.save()  # a version with the first link
    case.practices.set([after])
    case.save()
    version = case.history.filter(history_date__lte=case.history.first().history_date).last()
    version = next(
        v for v in case.history.all() if [p.practice_id for p in v.practices.all()] == [before.pk]
    )
    url = reverse("admin:cases_casestudy_simple_history", args=[case.pk, version.pk])
    # The links are edited in an inline (each with its reason): posting the restore form puts
    # back the version's links.
    data = admin_form_data(editor_client.get(url))
    assert editor_client.post(url, data).status_code == 302
    assert list(case.practices.all()) == [before]


def test_compare_two_versions_shows_every_changed_field(editor_client):
    case = CaseStudyFactory(title="Titre un", summary="Résumé un.")
    case.title, case.summary = "Titre deux", "Résumé deux."
    case.save()
    case.summary = "Résumé trois."
    case.save()
    first, _, last = case.history.order_by("history_date")
    url = reverse("admin:cases_casestudy_compare", args=[case.pk])
    page = editor_client.get(url, {"a": first.pk, "b": last.pk}).content.decode()
    assert "<del>un</del>" in page and "<ins>deux</ins>" in page
    assert "<ins>trois.</ins>" in page
    assert "Rétablir la version du" in page


def test_compare_without_two_versions_explains_instead_of_failing(editor_client):
    case = CaseStudyFactory()
    url = reverse("admin:cases_casestudy_compare", args=[case.pk])
    response = editor_client.get(url, {"a": "x"}, follow=True)
    assert response.status_code == 200
    assert "Choisissez deux versions" in response.content.decode()


# --- 5. Forms that help ------------------------------------------------------------------------


def test_the_case_form_explains_the_non_obvious_fields(editor_client):
    page = editor_client.get(reverse("admin:cases_casestudy_add")).content.decode()
    assert "Référence inspirante : une expérience citée en modèle" in page
    assert "tirée du titre pendant que vous le tapez" in page
    assert "Publique : affichée sur la page, sous le texte" in page
    # The fields publishing needs come first.
    assert page.index('id="id_territory"') < page.index('id="id_key_facts"')
    assert page.index('id="id_pages"') < page.index('id="id_key_facts"')


def test_the_link_reason_says_it_is_public(trainer_client):
    page = trainer_client.get(reverse("admin:trainings_trainingpractice_add")).content.decode()
    assert "Publique : affichée sur la page de la formation" in page


@pytest.mark.parametrize("query", ["ecole", "École", "ÉCOLE", "ecole pessac"])
def test_admin_search_ignores_accents_and_case(editor_client, query):
    CaseStudyFactory(title="Une école ouverte", territory=TerritoryFactory(name="Pessac"))
    CaseStudyFactory(title="Un budget vert")
    page = editor_client.get(
        reverse("admin:cases_casestudy_changelist"), {"q": query}
    ).content.decode()
    assert "Une école ouverte" in page and "Un budget vert" not in page


def test_search_ignores_accents_in_tables_without_a_search_column_too(editor_client):
    from tests.factories import ThemeFactory

    ThemeFactory(name="Éducation populaire")
    ThemeFactory(name="Numérique")
    page = editor_client.get(
        reverse("admin:practices_theme_changelist"), {"q": "education"}
    ).content.decode()
    assert "Éducation populaire" in page and "Numérique" not in page


def test_the_territory_autocomplete_ignores_accents(editor_client):
    TerritoryFactory(name="Créteil")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "creteil",
            "app_label": "cases",
            "model_name": "casestudy",
            "field_name": "territory",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Créteil"]


def test_the_practice_list_filters_practices_without_training(trainer_client):
    PublishedPracticeFactory(title="Budget vert")
    TrainingPracticeFactory(practice=PublishedPracticeFactory(title="Design de services"))
    page = trainer_client.get(
        reverse("admin:practices_practice_changelist"), {"formation": "sans", "q": "budget"}
    ).content.decode()
    assert "Budget vert" in page and "Design de services" not in page


# --- 6. Contributions from the field -----------------------------------------------------------


def proposal(**overrides):
    return {
        "collectivity": "Ville de Niort",
        "title": "Un budget participatif dans les écoles",
        "practice": "",
        "practice_other": "Budget participatif",
        "what": "Les élèves votent pour des projets.",
        "results": "Douze projets réalisés.",
        "contact_name": "Camille",
        "contact_email": "camille@niort.example",
        "consent": "on",
        "website": "",
        **overrides,
    }


def test_a_proposal_becomes_a_case_to_review_that_visitors_cannot_see(client):
    response = client.post(reverse("cases:propose"), proposal())
    assert response.status_code == 302 and response.url == reverse("cases:propose_thanks")
    case = CaseStudy.objects.get()
    assert case.status == Status.REVIEW
    assert case.title == "Un budget participatif dans les écoles"
    assert case.contribution.contact_email == "camille@niort.example"
    assert case.source.status == Status.DRAFT
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.title not in client.get(reverse("cases:list")).content.decode()
    thanks = client.get(response.url).content.decode()
    assert "Merci, votre proposition est bien arrivée" in thanks


def test_a_proposal_naming_a_known_territory_and_practice_is_linked_to_them(client):
    niort = TerritoryFactory(name="Niort")
    practice = PublishedPracticeFactory()
    client.post(reverse("cases:propose"), proposal(collectivity="niort", practice=practice.pk))
    case = CaseStudy.objects.get()
    assert case.territory == niort and list(case.practices.all()) == [practice]


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client):
    response = client.post(reverse("cases:propose"), proposal(website="http://spam.example"))
    assert response.status_code == 302
    assert not CaseStudy.objects.exists() and not Contribution.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("what", "<a href='http://x'>promo</a>", "balises HTML"),
        ("what", "x" * 4001, "4000 caractères"),
        ("contact_email", "pas-une-adresse", "adresse de courriel valide"),
        ("consent", "", "sans votre accord, rien n’est publié"),
    ],
)
def test_a_bad_proposal_is_refused_in_french_and_keeps_the_text(client, field, value, message):
    data = proposal(**{field: value})
    if field == "consent":
        del data["consent"]
    response = client.post(reverse("cases:propose"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Douze projets réalisés." in page
    assert not CaseStudy.objects.exists()


def test_one_address_cannot_send_more_than_the_hourly_limit(client, settings):
    settings.CONTRIBUTIONS_PER_HOUR = 2
    for number in range(2):
        client.post(reverse("cases:propose"), proposal(contact_email=f"a{number}@x.example"))
    response = client.post(reverse("cases:propose"), proposal(contact_email="b@x.example"))
    assert response.status_code == 429
    assert "plusieurs propositions dans l’heure" in response.content.decode()
    assert CaseStudy.objects.count() == 2


def test_the_proposal_page_is_never_served_from_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get(reverse("cases:propose"))
    second = client.get(reverse("cases:propose"))
    assert first.status_code == second.status_code == 200
    assert "no-cache" in second["Cache-Control"]


def test_editors_see_who_proposed_a_case_and_reply_by_email(client, editor_client, editor):
    client.post(reverse("cases:propose"), proposal())
    case = CaseStudy.objects.get()
    home = editor_client.get(reverse("admin:index")).content.decode()
    review = home.split('id="a-relire"')[1].split("</section>")[0]
    assert case.title in review and "proposition de terrain" in review
    page = editor_client.get(change_url(case)).content.decode()
    assert "Proposé depuis le formulaire public" in page and "camille@niort.example" in page
    contribution = case.contribution
    url = reverse("admin:cases_contribution_change", args=[contribution.pk])
    response = editor_client.post(
        url, {"subject": "Votre budget participatif", "message": "Merci, une question : …"}
    )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["camille@niort.example"] and sent.reply_to == [editor.email]
    contribution.refresh_from_db()
    assert contribution.replied_by == editor and contribution.replied_at <= timezone.now()


def test_trainers_never_see_the_contact_email(client, trainer_client):
    client.post(reverse("cases:propose"), proposal())
    case = CaseStudy.objects.get()
    assert "camille@niort.example" not in trainer_client.get(change_url(case)).content.decode()
    contribution = case.contribution
    url = reverse("admin:cases_contribution_change", args=[contribution.pk])
    assert trainer_client.get(url).status_code == 403


def test_the_contribution_rights_are_the_editors(editor):
    assert Permission.objects.filter(group__name="Éditeurs", codename="view_contribution").exists()
