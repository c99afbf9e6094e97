"""`/panorama/`: the repository in pictures. Each chart is server-rendered SVG, followed by its
data table, and downloadable as CSV (`/panorama/<chart>.csv`)."""

import csv
import io

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.models import CaseStudy
from practices.models import Practice, Status
from trainings.models import Training


def list_url(name, **filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{reverse(name)}?{query}" if query else reverse(name)


def bars(rows):
    """Rows of (label, value, url) with each bar's share of the longest, in per cent."""
    highest = max((value for _, value, _ in rows), default=0) or 1
    return [
        {"label": label, "value": value, "url": url, "width": round(100 * value / highest, 1)}
        for label, value, url in rows
    ]


def cases_by_year():
    rows = (
        CaseStudy.objects.visible()
        .exclude(year_start__isnull=True)
        .order_by()
        .values_list("year_start")
        .annotate(n=Count("pk"))
        .order_by("year_start")
    )
    return [(str(year), n, list_url("cases:list", annee=year)) for year, n in rows]


def cases_by_region():
    rows = (
        CaseStudy.objects.visible()
        .exclude(territory__region="")
        .exclude(territory__region__isnull=True)
        .order_by()
        .values_list("territory__region")
        .annotate(n=Count("pk"))
        .order_by("-n", "territory__region")
    )
    return [(region, n, list_url("cases:list", region=region)) for region, n in rows]


def cases_by_family():
    labels = dict(Practice.Family.choices)
    rows = (
        CaseStudy.objects.visible()
        .filter(practices__status=Status.PUBLISHED)
        .order_by()
        .values_list("practices__family")
        .annotate(n=Count("pk", distinct=True))
    )
    counts = dict(rows)
    return [
        (label, counts.get(key, 0), list_url("practices:list", famille=key))
        for key, label in labels.items()
    ]


def practices_without_training():
    labels = dict(Practice.Family.choices)
    rows = (
        Practice.objects.visible()
        .order_by()
        .values_list("family")
        .annotate(
            total=Count("pk", distinct=True),
            taught=Count(
                "pk",
                distinct=True,
                filter=Training.objects.visibility("training_links__training__"),
            ),
        )
    )
    counts = {family: total - taught for family, total, taught in rows}
    return [(label, counts.get(key, 0), reverse("gaps")) for key, label in labels.items()]


def practice_theme_matrix():
    """Practices per family and theme: rows are families, columns themes."""
    rows = list(
        Practice.objects.visible()
        .exclude(themes__isnull=True)
        .order_by()
        .values_list("family", "themes__slug", "themes__name")
        .annotate(n=Count("pk", distinct=True))
    )
    themes = sorted({(slug, name) for _, slug, name, _ in rows}, key=lambda theme: theme[1])
    counts = {(family, slug): n for family, slug, _, n in rows}
    highest = max(counts.values(), default=1)
    families = [
        {
            "label": label,
            "cells": [
                {
                    "value": counts.get((key, slug), 0),
                    "step": -(-counts.get((key, slug), 0) * 5 // highest),
                    "url": list_url("practices:list", famille=key, theme=slug),
                }
                for slug, _ in themes
            ],
        }
        for key, label in Practice.Family.choices
    ]
    return {"themes": [name for _, name in themes], "families": families}


CHARTS = {
    "cas-par-annee": ("Cas par année de début", "Année", "Cas", cases_by_year),
    "cas-par-region": ("Cas par région", "Région", "Cas", cases_by_region),
    "cas-par-famille": ("Cas par famille de pratiques", "Famille", "Cas", cases_by_family),
    "pratiques-sans-formation": (
        "Pratiques sans formation, par famille",
        "Famille",
        "Pratiques sans formation",
        practices_without_training,
    ),
}


@require_safe
def panorama(request):
    charts = [
        {"slug": slug, "title": title, "label": label, "unit": unit, "rows": bars(rows())}
        for slug, (title, label, unit, rows) in CHARTS.items()
    ]
    context = {
        "charts": charts,
        "matrix": practice_theme_matrix(),
        "totals": {
            "cases": CaseStudy.objects.visible().count(),
            "trainings": Training.objects.visible().count(),
        },
    }
    return render(request, "panorama.html", context)


@require_safe
def panorama_csv(request, slug):
    if slug not in CHARTS:
        raise Http404("Pas de graphique de ce nom.")
    title, label, unit, rows = CHARTS[slug]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([label, unit])
    for row_label, value, _url in rows():
        writer.writerow([row_label, value])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transfo-{slug}.csv"'
    return response
