"""Writes that touch more than one field or file of a case study."""

from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from core.cache import label, schedule_bump

THUMBNAIL_SIZE = (480, 320)


def casestudy_make_thumbnail(case):
    """Make the list thumbnail from the illustration (once, when the illustration changes)."""
    if case.thumbnail:
        case.thumbnail.delete(save=False)
    if case.illustration:
        _render_thumbnail(case)
    # A direct update: the thumbnail is derived, not an edit (no new version, no history entry);
    # the pages that show it still have to change.
    type(case).objects.filter(pk=case.pk).update(thumbnail=case.thumbnail.name or "")
    schedule_bump(label(type(case)))


def _render_thumbnail(case):
    case.illustration.open("rb")
    with Image.open(case.illustration) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = BytesIO()
        image.save(buffer, format="WEBP", quality=80)
    name = f"{Path(case.illustration.name).stem}.webp"
    case.thumbnail.save(name, ContentFile(buffer.getvalue()), save=False)
