"""Cross-app pages: home, search over every record type, the trainers' gaps page."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import CaseStudy
from core.listing import MAX_QUERY_LENGTH
from core.text import search_terms
from practices.models import Orientation, Piste, Practice, Source, Theme
from trainings.models import Training

SEARCH_RESULTS_PER_TYPE = 10
HOME_CASES_SHOWN = 6


@require_safe
def home(request):
    published_cases = CaseStudy.objects.published()
    context = {
        "counts": {
            "cases": published_cases.count(),
            "practices": Practice.objects.published().count(),
            "trainings": Training.objects.published().count(),
            "pistes": Piste.objects.published().count(),
            "sources": Source.objects.published().count(),
        },
        "families": (
            Practice.objects.published()
            .order_by()
            .values("family")
            .annotate(n=Count("pk"))
            .order_by("family")
        ),
        "family_labels": dict(Practice.Family.choices),
        "themes": Theme.objects.annotate(
            n=Count("cases", filter=Q(cases__status="published"), distinct=True)
        ).filter(n__gt=0),
        "featured_cases": published_cases.of_kind(CaseStudy.Kind.STUDIED)
        .for_list()
        .order_by("title")[:HOME_CASES_SHOWN],
    }
    return render(request, "home.html", context)


SEARCHED_TYPES = [
    ("cases", _("Cas"), CaseStudy, "cases:list"),
    ("practices", _("Pratiques"), Practice, "practices:list"),
    ("trainings", _("Formations"), Training, "trainings:list"),
    ("pistes", _("Pistes"), Piste, "practices:piste_list"),
    ("orientations", _("Orientations"), Orientation, "practices:orientation_list"),
]


@require_safe
def search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    groups = []
    if search_terms(query):
        for key, label, model, list_url in SEARCHED_TYPES:
            found = model.objects.published().search(query).by_relevance(query)
            if model is CaseStudy:
                found = found.select_related("territory")
            total = found.count()
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "results": list(found[:SEARCH_RESULTS_PER_TYPE]) if total else [],
                    "total": total,
                    "list_url": list_url,
                }
            )
    context = {
        "query": query,
        "groups": groups,
        "total": sum(group["total"] for group in groups),
        "searched": bool(search_terms(query)),
    }
    return render(request, "search.html", context)


@require_safe
def gaps(request):
    context = {
        "practices_without_training": Practice.objects.published()
        .filter(~Q(training_links__training__status="published"))
        .select_related("source")
        .order_by("family", "title"),
        "trainings_without_practice": Training.objects.published()
        .without_practice()
        .select_related("source")
        .order_by("domain", "title"),
        "family_labels": dict(Practice.Family.choices),
        "domain_labels": dict(Training.Domain.choices),
    }
    return render(request, "gaps.html", context)


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bare(request):
    """The benchmark's reference: the cheapest response Django can give (see bench/)."""
    return HttpResponse("ok", content_type="text/plain")
