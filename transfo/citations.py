"""« Citer cette fiche »: a French citation on the page, and BibTeX and RIS files to download.

A record is cited as a page of Transfo, with the report and page it is drawn from, its address
and the date it was consulted, as French citation practice (ISO 690) asks for online resources.
"""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases.models import CaseStudy, Territory
from practices.models import Orientation, Piste, Practice, Source
from trainings.models import Training

# The record type key used in the templates (transfo.templatetags.transfo) → model, label.
CITABLE = {
    "cas": (CaseStudy, "cas"),
    "pratique": (Practice, "pratique"),
    "formation": (Training, "formation"),
    "piste": (Piste, "piste"),
    "orientation": (Orientation, "orientation"),
    "source": (Source, "rapport"),
    "territoire": (Territory, "territoire"),
}


def title_of(record):
    return getattr(record, "title", None) or str(record)


def drawn_from(record):
    """« d’après <report>, <publisher>, <date>, p. 12 », or "" for what has no source."""
    source = getattr(record, "source", None)
    if source is None or isinstance(record, Source):
        return ""
    parts = [source.title, source.publisher, source.date_label]
    text = "d’après " + ", ".join(part for part in parts if part)
    if getattr(record, "pages", ""):
        text += f", p. {record.pages}"
    return text


def citation_text(record, url, consulted):
    kind = next(label for model, label in CITABLE.values() if isinstance(record, model))
    if isinstance(record, Source):
        authors = f"{record.authors}. " if record.authors else ""
        return (
            f"{authors}{record.title}. {record.publisher}, {record.date_label}. "
            f"Fiche du rapport dans Transfo. En ligne : {url} (consulté le {consulted})."
        )
    origin = drawn_from(record)
    origin = f", {origin}" if origin else ""
    return (
        f"« {title_of(record)} », fiche {kind} de Transfo{origin}. "
        f"En ligne : {url} (consulté le {consulted})."
    )


def bibtex_escape(text):
    return re.sub(r"([\\{}&%$#_])", r"\\\1", str(text))


def bibtex(record, url, today):
    note = drawn_from(record)
    fields = {
        "title": title_of(record),
        "author": "{Transfo}",
        "organization": "Transfo",
        "year": str(record.updated_at.year),
        "url": url,
        "urldate": today.isoformat(),
        "note": note[0].upper() + note[1:] if note else "",
        "language": "french",
    }
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' else bibtex_escape(value)}}}"
        for name, value in fields.items()
        if value
    )
    key = "transfo-" + re.sub(r"[^a-z0-9-]", "", record.slug)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(record, url, today):
    lines = [
        ("TY", "ELEC"),
        ("TI", title_of(record)),
        ("AU", "Transfo"),
        ("PY", str(record.updated_at.year)),
        ("UR", url),
        ("Y2", today.strftime("%Y/%m/%d")),
        ("LA", "fr"),
    ]
    note = drawn_from(record)
    if note:
        lines.append(("N1", note[0].upper() + note[1:]))
    if getattr(record, "summary", ""):
        lines.append(("AB", " ".join(record.summary.split())))
    lines.append(("ER", ""))
    return "\r\n".join(f"{tag}  - {value}" for tag, value in lines) + "\r\n"


def published(model):
    if model is Territory:
        return Territory.objects.filter(cases__status="published").distinct()
    if model is Source:
        return Source.objects.visible()
    return model.objects.visible().select_related("source")


@require_safe
def cite(request, kind, slug, format):
    if kind not in CITABLE or format not in {"bib", "ris"}:
        raise Http404("Pas de citation à cette adresse.")
    record = get_object_or_404(published(CITABLE[kind][0]), slug=slug)
    url = request.build_absolute_uri(record.get_absolute_url())
    today = timezone.localdate()
    if format == "bib":
        content, content_type = bibtex(record, url, today), "application/x-bibtex"
    else:
        content, content_type = ris(record, url, today), "application/x-research-info-systems"
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transfo-{slug}.{format}"'
    return response
