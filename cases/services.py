"""Writes that touch more than one field or file of a case study, or several models."""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.cache import label, schedule_bump
from core.models import Status
from core.text import fold
from practices.models import Source

from .models import CaseStudy, Contribution, Territory

THUMBNAIL_SIZE = (480, 320)


def casestudy_make_thumbnail(case):
    """Make the list thumbnail from the illustration (once, when the illustration changes)."""
    if case.thumbnail:
        case.thumbnail.delete(save=False)
    if case.illustration:
        _render_thumbnail(case)
    # A direct update: the thumbnail is derived, not an edit (no new version, no history entry);
    # the pages that show it still have to change (the model's version), and the cards, kept by
    # each case's version, by its thumbnail too (`CaseStudy.unversioned_fields`).
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


def contribution_submit(data):
    """A visitor's proposal becomes a case « À relire » and its Contribution, in one transaction.

    Nothing is published: the case waits for an editor, who sees who proposed it."""
    with transaction.atomic():
        source = _contributions_source()
        case = CaseStudy(
            kind=CaseStudy.Kind.EXAMPLE,
            title=data["title"],
            slug=_unique_slug(data["title"]),
            territory=_known_territory(data["collectivity"]),
            summary=data["what"],
            results=data.get("results", ""),
            source=source,
            section=_("Proposition reçue le %(date)s par le formulaire « Proposer »")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
            status=Status.REVIEW,
        )
        case._change_reason = _("Proposé par le formulaire public")
        case.save()
        if data.get("practice") is not None:
            case.practices.add(data["practice"])
        return Contribution.objects.create(
            case=case,
            collectivity=data["collectivity"],
            practice_text=data.get("practice_other", ""),
            contact_name=data.get("contact_name", ""),
            contact_email=data["contact_email"],
            consent=data["consent"],
        )


def contribution_reply(contribution, user, subject, message):
    """An editor answers the person who proposed an experience; the answer is kept."""
    reply_to = [user.email] if user.email else []
    EmailMessage(
        subject=subject,
        body=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contribution.contact_email],
        reply_to=reply_to,
    ).send()
    contribution.reply = message
    contribution.replied_at = timezone.now()
    contribution.replied_by = user
    contribution.save(update_fields=["reply", "replied_at", "replied_by"])


CONTRIBUTIONS_SOURCE_SLUG = "contributions-de-terrain"


def _contributions_source():
    # A draft: it appears on the site only if an editor publishes it.
    source, _created = Source.objects.get_or_create(
        slug=CONTRIBUTIONS_SOURCE_SLUG,
        defaults={
            "title": _("Contributions de terrain (formulaire « Proposer une expérience »)"),
            "short_title": _("Contribution de terrain"),
            "kind": Source.Kind.COLLECTION,
            "status": Status.DRAFT,
        },
    )
    return source


def _unique_slug(title):
    base = (slugify(title)[:80] or "proposition").strip("-")
    slug, number = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _known_territory(name):
    """The territory of that name if there is exactly one; the editor chooses otherwise."""
    folded = fold(name)
    matches = [t for t in Territory.objects.search(name) if fold(t.name) == folded]
    return matches[0] if len(matches) == 1 else None
