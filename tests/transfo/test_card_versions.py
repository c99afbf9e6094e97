"""Cards and the API's record JSON are kept by each record's own version (core.cache.record_keys):
every write that changes what they show raises that version or bumps another model they show."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import PublishedCaseStudyFactory

pytestmark = pytest.mark.django_db


def image_file(name="mairie.png", size=(900, 600)):
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_thumbnail_made_after_the_list_was_read_shows_at_once_in_the_case_card(
    client, settings, tmp_path
):
    from cases.services import casestudy_make_thumbnail

    settings.MEDIA_ROOT = tmp_path
    case = PublishedCaseStudyFactory(illustration=image_file(), illustration_alt="La mairie")
    assert "case-thumbnail" not in client.get(reverse("cases:list")).content.decode()

    casestudy_make_thumbnail(case)

    case.refresh_from_db()
    assert case.thumbnail.url in client.get(reverse("cases:list")).content.decode()
