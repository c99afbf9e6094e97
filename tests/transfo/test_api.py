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
        # content versions, count, the page's ids; its cases, practice links, themes, pistes,
        # findings (their JSON is then kept until the content changes)
        ("/api/v1/cas/", 8),
        # + région options to validate, + the query compiled (synonyms and known words)
        ("/api/v1/cas/?region=Nouvelle-Aquitaine&q=cas", 10),
        # content versions, count, ids; practices, themes, cases, trainings, pistes, findings
        ("/api/v1/pratiques/", 9),
        # content versions, count, ids; trainings, practice links, themes, findings
        ("/api/v1/formations/", 7),
        # content versions, count, ids; pistes, tags, themes, practices, inspirations, findings
        ("/api/v1/pistes/", 9),
        # content versions, count, ids; orientations, pistes
        ("/api/v1/orientations/", 5),
        # content versions, count, ids; territories, cases
        ("/api/v1/territoires/", 5),
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


@pytest.mark.parametrize(
    "name", ["cas", "pratiques", "formations", "orientations", "pistes", "territoires"]
)
def test_a_list_gives_each_record_as_its_own_address_does(client, world, name):
    """A list's records are kept as JSON between requests: each stays what ninja gives for the
    record alone, and the answer is the same whether built or kept."""
    first = client.get(f"/api/v1/{name}/")
    again = client.get(f"/api/v1/{name}/")
    assert first["Content-Type"] == again["Content-Type"] == "application/json; charset=utf-8"
    assert first.content == again.content
    for item in first.json()["items"]:
        assert client.get(f"/api/v1/{name}/{item['slug']}/").json() == item


def test_a_list_seen_before_reads_only_the_ids_of_its_page(
    client, world, django_assert_num_queries
):
    client.get("/api/v1/cas/")
    with django_assert_num_queries(2):  # content versions, the page's ids
        client.get("/api/v1/cas/")
    # A page of another size: its count is kept, its records not all.
    with django_assert_num_queries(2):
        client.get("/api/v1/cas/", {"page_size": 1})
    # A filter's options read from the content (the régions) are kept too.
    region = world["cases"][0].territory.region
    client.get("/api/v1/cas/", {"region": region})
    with django_assert_num_queries(2):
        client.get("/api/v1/cas/", {"region": region})


def test_a_list_shows_a_change_at_once(client, world):
    practice = world["practices"][0]
    client.get("/api/v1/cas/")
    practice.title = "Budget participatif renommé"
    practice.save()
    titles = {
        link["title"]
        for item in client.get("/api/v1/cas/").json()["items"]
        for link in item["practices"]
    }
    assert "Budget participatif renommé" in titles
    world["cases"][0].delete()
    body = client.get("/api/v1/cas/").json()
    assert world["cases"][0].slug not in {item["slug"] for item in body["items"]}
    assert body["count"] == len(world["cases"]) - 1


def test_a_list_kept_for_one_address_links_to_its_own_elsewhere(client, world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "transfo.example.fr"]
    client.get("/api/v1/cas/")
    body = client.get("/api/v1/cas/", HTTP_HOST="transfo.example.fr").content.decode()
    assert "http://transfo.example.fr/cas/" in body
    assert "testserver" not in body
