"""Messages that say what to do, in French: no constraint names, no 5 MB texts."""

import pytest
import tablib

from cases.resources import CaseStudyResource
from core.models import TEXT_MAX_LENGTH
from tests.factories import CaseStudyFactory, PracticeFactory
from tests.transfo.test_workflow import change_url, practice_form

pytestmark = pytest.mark.django_db


def case_form_data(client, case, **changes):
    form = client.get(change_url(case)).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update({"practices": [], "themes": [], "pistes": [], "illustration": "", **changes})
    return data


def test_a_backwards_period_is_explained_beside_the_end_year(editor_client):
    case = CaseStudyFactory()
    response = editor_client.post(
        change_url(case), case_form_data(editor_client, case, year_start=2020, year_end=2010)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["year_end"] == [
        "L'année de fin doit suivre l'année de début (ou lui être égale), et l'année de début "
        "doit être indiquée."
    ]
    assert "casestudy_period_ordered" not in response.content.decode()


def test_an_import_row_breaking_a_constraint_is_explained_in_french():
    case = CaseStudyFactory()
    text = (
        "slug,title,year_start,year_end,version\n"
        f"{case.slug},{case.title},2020,2010,{case.version}\n"
    )
    result = CaseStudyResource().import_data(
        tablib.Dataset().load(text, format="csv"), dry_run=True
    )
    messages = str([row.error.message_dict for row in result.invalid_rows])
    assert "L'année de fin doit suivre l'année de début" in messages
    assert "casestudy_period_ordered" not in messages


def test_a_5_mb_text_is_refused_with_its_length(editor_client):
    practice = PracticeFactory(summary="Court.")
    huge = "a" * (5 * 1024 * 1024)
    response = editor_client.post(change_url(practice), practice_form(practice, summary=huge))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["summary"] == [
        "Ce texte fait 5\xa0242\xa0880 caractères ; le maximum est de 20\xa0000. "
        "Raccourcissez-le, ou mettez le détail dans le rapport d'origine."
    ]
    practice.refresh_from_db()
    assert practice.summary == "Court."


def test_an_import_refuses_a_text_over_the_limit():
    case = CaseStudyFactory()
    text = (
        "slug,title,summary,version\n"
        f"{case.slug},{case.title},{'b' * (TEXT_MAX_LENGTH + 1)},{case.version}\n"
    )
    result = CaseStudyResource().import_data(
        tablib.Dataset().load(text, format="csv"), dry_run=True
    )
    assert "summary" in result.invalid_rows[0].error.message_dict
