"""Illustrations: only real, reasonable JPEG/PNG/WebP images, with alt text; thumbnails made once."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from cases.images import validate_illustration
from tests.admin_forms import admin_form_data
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def image_file(name="photo.png", format="PNG", size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "name, format", [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.jpeg", "JPEG"), ("a.webp", "WEBP")]
)
def test_it_accepts_jpeg_png_and_webp(name, format):
    validate_illustration(image_file(name, format))


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.gif", b"GIF89a..."), "JPEG, PNG ou WebP"),
        (
            SimpleUploadedFile("faux.png", b"<?php echo 'pas une image'; ?>"),
            "n'est pas une image lisible",
        ),
        (image_file("a.png", "JPEG"), "ne correspond pas à son extension"),
        (image_file("a.bmp", "BMP"), "JPEG, PNG ou WebP"),
    ],
)
def test_it_refuses_what_is_not_an_accepted_image(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_illustration(upload)


def test_it_refuses_a_file_over_5_mb():
    upload = SimpleUploadedFile("big.png", b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="maximum est de 5 Mo"):
        validate_illustration(upload)


def test_it_refuses_a_decompression_bomb_without_decoding_it():
    # A tiny PNG file that declares 10,000 × 5,000 pixels: 50 million, over the 40 million limit.
    upload = image_file("bomb.png", "PNG", size=(10_000, 5_000))
    assert upload.size < 5 * 1024 * 1024
    with pytest.raises(ValidationError, match="40 millions"):
        validate_illustration(upload)


def test_an_illustration_needs_its_alt_text():
    case = CaseStudyFactory.build(illustration=image_file(), illustration_alt="")
    with pytest.raises(ValidationError) as error:
        case.full_clean(exclude=["source", "territory", "slug"])
    assert "illustration_alt" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(illustration="cas/x.png", illustration_alt="")


def test_the_admin_refuses_a_fake_image_with_a_message(admin_client):
    case = CaseStudyFactory()
    url = reverse("admin:cases_casestudy_change", args=[case.pk])
    page = admin_client.get(url)
    data = admin_form_data(page)
    data.update(
        {
            "themes": [],
            "pistes": [],
            "illustration": SimpleUploadedFile("photo.jpg", b"not an image at all"),
            "illustration_alt": "Une photo",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["illustration"]
    assert errors and "image" in errors[0]
    case.refresh_from_db()
    assert not case.illustration


def test_the_thumbnail_is_made_once_when_the_illustration_is_saved(admin_client):
    case = CaseStudyFactory()
    url = reverse("admin:cases_casestudy_change", args=[case.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(
        {
            "themes": [],
            "pistes": [],
            "illustration": image_file("photo.png", size=(1200, 800)),
            "illustration_alt": "La mairie",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.thumbnail.name.endswith(".webp")
    with Image.open(case.thumbnail.path) as thumbnail:
        assert thumbnail.size == (480, 320)


def test_the_public_page_shows_the_illustration_with_its_alt_text(client):
    from cases.services import casestudy_make_thumbnail
    from tests.factories import PublishedCaseStudyFactory

    case = PublishedCaseStudyFactory(
        illustration=image_file("mairie.png", size=(900, 600)),
        illustration_alt="La façade de la mairie",
    )
    casestudy_make_thumbnail(case)
    case.refresh_from_db()
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'src="{case.illustration.url}" alt="La façade de la mairie"' in html
    assert case.thumbnail.url in client.get(reverse("cases:list")).content.decode()


def upload_through_the_admin(client, case, upload):
    url = reverse("admin:cases_casestudy_change", args=[case.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "themes": [],
            "pistes": [],
            "illustration": upload,
            "illustration_alt": "La mairie",
        }
    )
    return client.post(url, data)


def png_declaring(width, height):
    """A few bytes of PNG whose header declares the given size (no pixel data behind it)."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return SimpleUploadedFile("grand.png", b"\x89PNG\r\n\x1a\n" + body, content_type="image/png")


def truncated_jpeg():
    whole = image_file("photo.jpg", "JPEG", size=(800, 600)).read()
    return SimpleUploadedFile("photo.jpg", whole[: len(whole) // 2], content_type="image/jpeg")


def test_a_truncated_jpeg_is_refused_at_validation():
    with pytest.raises(ValidationError, match="pas une image lisible"):
        validate_illustration(truncated_jpeg())


def test_a_truncated_jpeg_in_the_admin_keeps_the_input_and_leaves_no_file(admin_client, tmp_path):
    case = CaseStudyFactory(summary="Résumé d'origine.")
    response = upload_through_the_admin(admin_client, case, truncated_jpeg())
    assert response.status_code == 200  # was a 500 from the thumbnail
    assert "pas une image lisible" in response.content.decode()
    assert response.context["adminform"].form["illustration_alt"].value() == "La mairie"
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_picture_of_400_million_pixels_is_refused_for_its_size_not_as_a_non_image(admin_client):
    # A small PNG that declares 20,000 × 20,000 pixels: Pillow refuses to open it at all.
    case = CaseStudyFactory()
    response = upload_through_the_admin(admin_client, case, png_declaring(20_000, 20_000))
    errors = response.context["adminform"].form.errors["illustration"]
    assert errors == [
        "L'image fait 400 millions de pixels ; le maximum est de 40 millions. Réduisez-la "
        "(par exemple à 4 000 × 3 000 pixels) puis déposez-la à nouveau."
    ]


def test_a_jpeg_carrying_html_is_stored_as_a_picture_only(admin_client):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(
        buffer, format="JPEG", comment=b"<html><script>alert(1)</script></html>"
    )
    polyglot = buffer.getvalue() + b"<html><body><script>alert(document.cookie)</script>"
    case = CaseStudyFactory()
    upload = SimpleUploadedFile("photo.jpg", polyglot, content_type="image/jpeg")
    assert upload_through_the_admin(admin_client, case, upload).status_code == 302
    case.refresh_from_db()
    stored = case.illustration.read()
    assert b"<script" not in stored and b"<html" not in stored
    with Image.open(case.illustration.path) as picture:
        assert (picture.format, picture.size) == ("JPEG", (64, 48))


def test_a_failed_save_leaves_no_orphan_file(admin_client, tmp_path, monkeypatch):
    import cases.admin

    def broken_thumbnail(case):
        raise OSError("disque plein")

    monkeypatch.setattr(cases.admin, "casestudy_make_thumbnail", broken_thumbnail)
    case = CaseStudyFactory()
    admin_client.raise_request_exception = False
    response = upload_through_the_admin(admin_client, case, image_file("photo.png"))
    assert response.status_code == 500
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
