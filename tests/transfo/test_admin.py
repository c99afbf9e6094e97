"""Editors' admin: every page loads, records can be published and unpublished."""

import pytest
from django.contrib import admin
from django.urls import reverse

from practices.models import Practice, Status
from tests.factories import PracticeFactory, SourceFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"practices", "cases", "trainings"}


def admin_urls(model, obj):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{base}_changelist")]
    # Contributions come only from the public form: the admin has no "add" page for them.
    if model._meta.model_name != "contribution":
        urls.append(reverse(f"{base}_add"))
    if obj is not None:
        urls.append(reverse(f"{base}_change", args=[obj.pk]))
        urls.append(reverse(f"{base}_history", args=[obj.pk]))
    if hasattr(admin.site._registry[model], "resource_classes"):
        urls += [reverse(f"{base}_import"), reverse(f"{base}_export")]
    return urls


def test_every_admin_page_loads_for_a_superuser(admin_client, world):
    assert admin_client.get(reverse("admin:index")).status_code == 200
    ours = [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]
    assert len(ours) == 12
    for model in ours:
        obj = model._default_manager.first()
        for url in admin_urls(model, obj):
            response = admin_client.get(url)
            assert response.status_code == 200, url


def test_the_admin_is_in_french(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert "Pratiques et propositions" in content
    assert "Formations" in content


def test_an_editor_creates_a_practice_in_the_admin(admin_client):
    source = SourceFactory()
    response = admin_client.post(
        reverse("admin:practices_practice_add"),
        {
            "title": "Budget vert",
            "slug": "budget-vert",
            "family": Practice.Family.SUPPORT,
            "summary": "Évaluer le budget selon son effet sur le climat.",
            "source": source.pk,
            "pages": "38",
            "status": Status.DRAFT,
            "training_links-TOTAL_FORMS": "0",
            "training_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    assert Practice.objects.get(slug="budget-vert").pages == "38"


def test_publish_and_unpublish_actions(admin_client):
    drafts = PracticeFactory.create_batch(2, status=Status.DRAFT)
    url = reverse("admin:practices_practice_changelist")
    ids = [p.pk for p in drafts]
    admin_client.post(url, {"action": "publish", "_selected_action": ids})
    assert set(Practice.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    admin_client.post(url, {"action": "unpublish", "_selected_action": ids[:1]})
    assert Practice.objects.get(pk=ids[0]).status == Status.DRAFT
    assert Practice.objects.get(pk=ids[1]).status == Status.PUBLISHED


def test_the_admin_links_to_the_public_page(admin_client):
    practice = PracticeFactory(status=Status.PUBLISHED)
    response = admin_client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert "Voir sur le site" in response.content.decode()
