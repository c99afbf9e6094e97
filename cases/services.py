"""Writes that touch more than one field or file of a case study."""

from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from core.cache import label, schedule_bump

THUMBNAIL_SIZE = (480, 320)


def territory_refresh_cases(territory):
    """A case's search text holds its territory's name and département: after a change to the
    territory, rewrite it (a direct update: derived text, not an edit of the case)."""
    for case in territory.cases.all():
        case.territory = territory
        text = case.folded_search_text()
        if text != case.search_text:
            type(case).objects.filter(pk=case.pk).update(search_text=text)
    schedule_bump(label(territory.cases.model))


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
