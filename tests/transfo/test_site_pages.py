"""The pages that say who publishes Transfo, how to reuse it, and how accessible it is."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from tests.factories import (
    PracticeFactory,
    PublishedCaseStudyFactory,
    PublishedPracticeFactory,
    SourceFactory,
)
from transfo.templatetags import transfo as transfo_tags

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, heading, says",
    [
        ("about", "À propos de Transfo", "Proposer un cas"),
        ("legal", "Mentions légales", "Données personnelles"),
        ("accessibility", "Déclaration d’accessibilité", "Défenseur des droits"),
        ("data", "Réutiliser les données", "Licence Ouverte / Etalab 2.0"),
        ("site_map", "Plan du site", "Mentions légales"),
    ],
)
def test_each_trust_page_answers_in_french_and_is_linked_from_every_footer(
    client, name, heading, says
):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html and says in html
    footer = client.get(reverse("home")).content.decode().split('class="site-footer"')[1]
    assert f'href="{reverse(name)}"' in footer


def test_the_accessibility_statement_has_the_parts_of_the_rgaa_form(client):
    html = client.get(reverse("accessibility")).content.decode()
    for part in [
        "État de conformité",
        "partiellement conforme",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d’information et contact",
        "Voies de recours",
    ]:
        assert part in html


def test_the_contact_is_the_one_the_operator_sets_and_never_invented(client, settings):
    assert "mailto:" not in client.get(reverse("legal")).content.decode()
    settings.SITE_CONTACT_EMAIL = "equipe@transfo.example"
    assert 'href="mailto:equipe@transfo.example"' in client.get(reverse("legal")).content.decode()


def test_the_about_page_lists_the_published_reports_only(client):
    SourceFactory(title="Rapport publié", status="published")
    SourceFactory(title="Rapport en brouillon", status="draft")
    html = client.get(reverse("about")).content.decode()
    assert "Rapport publié" in html and "Rapport en brouillon" not in html


def test_the_site_pages_are_in_the_sitemap(client):
    xml = client.get("/sitemap.xml").content.decode()
    for name in ["about", "legal", "accessibility", "data", "site_map"]:
        assert reverse(name) in xml


def test_the_feed_lists_published_records_newest_first(client):
    PublishedPracticeFactory(title="Pratique publiée")
    PracticeFactory(title="Pratique en brouillon")
    PublishedCaseStudyFactory(title="Cas publié")
    response = client.get(reverse("feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Pratique : Pratique publiée" in xml and "Cas : Cas publié" in xml
    assert "brouillon" not in xml
    assert xml.index("Cas publié") < xml.index("Pratique publiée")


def current_menu_entry(html):
    menu = html.split('id="navigation"')[1].split("</ul>")[0]
    return [entry for entry in menu.split("<li>") if 'aria-current="page"' in entry]


def test_the_menu_marks_the_section_of_each_page_whatever_was_visited_before(client):
    case = PublishedCaseStudyFactory()
    practice = PublishedPracticeFactory()
    for url, entry in [
        (case.get_absolute_url(), "Cas"),
        (reverse("map"), "Carte"),
        (practice.get_absolute_url(), "Pratiques"),
        (reverse("cases:list"), "Cas"),
        (reverse("practices:source_list"), "Sources"),
    ]:
        marked = current_menu_entry(client.get(url).content.decode())
        assert len(marked) == 1 and marked[0].strip().endswith(f"{entry}</a></li>"), url
    assert current_menu_entry(client.get(case.territory.get_absolute_url()).content.decode()) == []
    assert current_menu_entry(client.get(reverse("home")).content.decode()) == []


def test_the_search_box_shows_this_visitor_s_words_only(client):
    searched = client.get(reverse("search"), {"q": "budget vert"}).content.decode()
    assert 'name="q" maxlength="200" value="budget vert"' in searched
    assert 'value="budget vert"' not in client.get(reverse("about")).content.decode()


def test_the_footer_names_the_publisher_the_operator_sets(client, settings):
    client.get(reverse("about"))
    settings.SITE_PUBLISHER = "Centre de gestion de la Gironde"
    assert (
        "Publié par Centre de gestion de la Gironde."
        in client.get(reverse("about")).content.decode()
    )


def get_under(client, script_name, path):
    """`path` (the address inside the site) of the site served under `script_name`: the prefix
    set as Django's WSGI handler sets it from SCRIPT_NAME (the test client leaves it alone)."""
    set_script_prefix(script_name)
    return client.get(path, SCRIPT_NAME=script_name).content.decode()


@pytest.fixture
def restore_script_prefix():
    # Django keeps STATIC_URL with the prefix it had when first read: read at the root, as in
    # every other test.
    set_script_prefix("/")
    assert settings.STATIC_URL == "/static/"
    yield
    set_script_prefix("/")


def test_under_a_sub_path_the_menu_still_marks_the_section_of_each_page(
    client, restore_script_prefix
):
    case = PublishedCaseStudyFactory()
    for path, entry in [("/carte/", "Carte"), ("/cas/", "Cas"), (f"/cas/{case.slug}/", "Cas")]:
        html = get_under(client, "/transfo", path)
        assert 'href="/transfo/cas/"' in html
        marked = current_menu_entry(html)
        assert len(marked) == 1 and marked[0].strip().endswith(f"{entry}</a></li>"), path


def test_made_up_address_prefixes_do_not_grow_the_layout_parts_without_bound(
    client, monkeypatch, restore_script_prefix
):
    # gunicorn takes SCRIPT_NAME from a request header when the request comes through a
    # trusted proxy (127.0.0.1 by default): the prefix is not the operator's alone to choose.
    monkeypatch.setattr(transfo_tags, "LAYOUT_PARTS_MAX", 12, raising=False)
    for n in range(20):
        assert f'href="/p{n}/cas/"' in get_under(client, f"/p{n}", "/a-propos/")
        assert len(transfo_tags.LAYOUT_PARTS) <= 12
    assert 'href="/cas/"' in get_under(client, "", reverse("about"))


def test_a_layout_part_shows_its_template_s_own_text_whatever_another_template_kept():
    # A template edited while `manage.py runserver` runs is parsed again, under the same name.
    before = Template('{% load transfo %}{% layout "menu" %}avant{% endlayout %}')
    after = Template('{% load transfo %}{% layout "menu" %}après{% endlayout %}')
    assert before.render(Context()) == "avant"
    assert after.render(Context()) == "après"
