"""The read-only API: published records only, the site's filters, stable shapes, fixed queries."""

import csv
import io

import pytest
from django.urls import reverse

from practices.models import CASES_SHOWN, Status
from tests.factories import (
    CaseStudyFactory,
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "cas",
    "pratiques",
    "formations",
    "orientations",
    "pistes",
    "territoires",
    "sources",
    "themes",
]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_with_items_and_a_count(client, world, name):
    response = client.get(f"/api/v1/{name}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) > 0


def test_a_case_carries_its_links_and_provenance(client, world):
    case = world["cases"][0]
    body = client.get(f"/api/v1/cas/{case.slug}/").json()
    assert body["url"] == f"http://testserver{case.get_absolute_url()}"
    assert body["source"] == {"slug": case.source.slug, "title": case.source.title}
    assert body["pages"] == case.pages
    assert body["territory"]["region"] == case.territory.region
    assert sorted(p["slug"] for p in body["practices"]) == sorted(
        p.slug for p in world["practices"]
    )
    assert {p["slug"] for p in body["pistes"]} == {p.slug for p in world["pistes"]}


def test_a_training_gives_its_duration_and_practices(client, world):
    training = world["trainings"][0]
    body = client.get(f"/api/v1/formations/{training.slug}/").json()
    assert float(body["duration_days"]) == float(training.duration_days)
    assert {p["slug"] for p in body["practices"]} == {p.slug for p in world["practices"]}
    assert all(p["reason"] for p in body["practices"])


def test_a_piste_gives_its_orientation_and_inspirations(client, world):
    piste = world["pistes"][0]
    body = client.get(f"/api/v1/pistes/{piste.slug}/").json()
    assert body["orientation"]["number"] == piste.orientation.number
    assert {c["slug"] for c in body["inspirations"]} == {c.slug for c in world["cases"]}


def test_drafts_never_appear(client):
    published = PublishedPracticeFactory()
    draft = PracticeFactory(status=Status.DRAFT)
    PublishedCaseStudyFactory(practices=[published, draft])
    slugs = [item["slug"] for item in client.get("/api/v1/pratiques/").json()["items"]]
    assert slugs == [published.slug]
    assert client.get(f"/api/v1/pratiques/{draft.slug}/").status_code == 404
    case = client.get("/api/v1/cas/").json()["items"][0]
    assert [p["slug"] for p in case["practices"]] == [published.slug]


def test_the_site_the_api_and_the_csv_give_the_same_rows(client):
    bretagne = TerritoryFactory(region="Bretagne")
    wanted = PublishedCaseStudyFactory.create_batch(3, territory=bretagne)
    PublishedCaseStudyFactory.create_batch(2)
    CaseStudyFactory(territory=bretagne)  # a draft
    query = {"region": "Bretagne"}
    site = {case.slug for case in client.get(reverse("cases:list"), query).context["object_list"]}
    api = {item["slug"] for item in client.get("/api/v1/cas/", query).json()["items"]}
    response = client.get(reverse("cases:list"), {**query, "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert site == api == {row["slug"] for row in rows} == {case.slug for case in wanted}
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_csv_columns_are_stable(client, world):
    header = (
        client.get(reverse("trainings:list"), {"format": "csv"})
        .content.decode("utf-8")
        .splitlines()[0]
    )
    assert (
        header
        == "\ufeffslug,titre,duree_jours,libelle_duree,format,domaine,pratiques,source,pages,section,note_editeur"
    )


@pytest.mark.parametrize(
    "query", ["annee=abc", "pratique=nexiste-pas", "page=0", "page=abc", "duree_min=beaucoup"]
)
def test_bad_parameters_get_a_clear_4xx(client, world, query):
    endpoint = "formations" if "duree" in query else "cas"
    response = client.get(f"/api/v1/{endpoint}/?{query}")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_an_unknown_slug_is_a_404(client, world):
    response = client.get("/api/v1/cas/nexiste-pas/")
    assert response.status_code == 404


def test_the_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for name in LISTS:
        assert f"/api/v1/{name}/" in schema["paths"]
        assert f"/api/v1/{name}/{{slug}}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/cas/"]["get"]["parameters"]}
    assert {"q", "region", "pratique", "annee", "page"} <= params


def test_the_docs_work_offline(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/" in html


@pytest.mark.parametrize(
    "url, queries",
    [
        # count, page, practice links, themes, pistes, findings
        ("/api/v1/cas/", 6),
        # + région options to validate, + the query compiled (synonyms and known words)
        ("/api/v1/cas/?region=Nouvelle-Aquitaine&q=cas", 8),
        # count, page, themes, cases, trainings, pistes, findings
        ("/api/v1/pratiques/", 7),
        # count, page, practice links, themes, findings
        ("/api/v1/formations/", 5),
        # count, page, tags, themes, practices, inspirations, findings
        ("/api/v1/pistes/", 7),
        # count, page, pistes
        ("/api/v1/orientations/", 3),
        # count, page, cases
        ("/api/v1/territoires/", 3),
        # the case, practice links, themes, pistes, findings
        ("/api/v1/cas/{case}/", 5),
    ],
)
def test_each_endpoint_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, url, queries
):
    url = url.format(case=world["cases"][0].slug)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("slug", ["a%00b", "%C3%A9cole%20", "x%27%3B--"])
def test_a_slug_no_record_can_have_is_a_clear_404(client, slug):
    response = client.get(f"/api/v1/cas/{slug}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune fiche publiée ne porte ce slug."}


@pytest.mark.parametrize(
    "endpoint", ["cas", "pratiques", "formations", "pistes", "orientations", "territoires"]
)
def test_every_list_answers_a_search(client, world, endpoint):
    """The practices' list counted their cases in a grouped query, where SQLite's search
    ranking cannot be computed: a search gave a 500 (found by the schema test)."""
    response = client.get(f"/api/v1/{endpoint}/", {"q": "pratique"})
    assert response.status_code == 200
    assert response.json()["count"] >= 0


@pytest.mark.parametrize("address", ["/api/v1/pratiques/", "/api/v1/pratiques/{slug}/"])
def test_a_practice_gives_its_first_cases_counts_them_all_and_links_to_the_rest(client, address):
    practice = PublishedPracticeFactory()
    PublishedCaseStudyFactory.create_batch(CASES_SHOWN + 1, practices=[practice])
    answer = client.get(address.format(slug=practice.slug)).json()
    item = answer["items"][0] if "items" in answer else answer
    assert len(item["cases"]) == CASES_SHOWN
    assert item["case_count"] == CASES_SHOWN + 1
    assert item["cases"] == sorted(item["cases"], key=lambda case: case["title"])
    every_case = client.get(item["cases_url"]).json()
    assert every_case["count"] == CASES_SHOWN + 1
