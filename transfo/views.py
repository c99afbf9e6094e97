"""Cross-app pages: home, search over every record type, the trainers' gaps page."""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import CaseStudy, Territory
from core.cache import cache_params, content_cached
from core.listing import MAX_QUERY_LENGTH
from core.search import best_matches_together, compile_query, probe
from core.text import highlight
from practices.models import Finding, Orientation, Piste, Practice, Source, Theme
from trainings.models import Training

SEARCH_RESULTS_PER_TYPE = 10
# Beyond this many matches of a kind, the page says « plus de 100 » (the page shows ten of each
# kind; « voir tous » leads to the list, which counts them all): on PostgreSQL each record
# counted is checked for visibility, and counting to 1,000 the matches of a common word cost
# more than ranking them (5 ms of a 20 ms search).
SEARCH_COUNT_CAP = 100
HOME_CASES_SHOWN = 6


@require_safe
@cache_params()
def home(request):
    visible_cases = CaseStudy.objects.visible()

    def figures():
        return {
            "counts": {
                "cases": visible_cases.count(),
                "practices": Practice.objects.visible().count(),
                "trainings": Training.objects.visible().count(),
                "pistes": Piste.objects.visible().count(),
                "sources": Source.objects.visible().count(),
            },
            "families": list(
                Practice.objects.visible()
                .order_by()
                .values("family")
                .annotate(n=Count("pk"))
                .order_by("family")
            ),
            "themes": list(
                Theme.objects.annotate(
                    n=Count("cases", filter=visible_cases.visibility("cases__"), distinct=True)
                ).filter(n__gt=0)
            ),
        }

    context = {
        # Seven counts over every record: once per content, not per visit.
        **content_cached(request, "home-figures", figures),
        "family_labels": dict(Practice.Family.choices),
        "featured_cases": visible_cases.of_kind(CaseStudy.Kind.STUDIED)
        .for_cards()
        .order_by("title")[:HOME_CASES_SHOWN],
    }
    return render(request, "home.html", context)


@dataclass(frozen=True)
class SearchedType:
    key: str
    label: str
    model: type
    list_url: str | None
    # The fields an excerpt is taken from, the first holding a matched word.
    excerpt_fields: tuple[str, ...]
    # The other fields a result shows (its name, its address): only these and the excerpt's
    # are read.
    shown_fields: tuple[str, ...] = ("slug", "title")


SEARCHED_TYPES = [
    SearchedType(
        "cases",
        _("Cas"),
        CaseStudy,
        "cases:list",
        ("summary", "key_facts", "method", "results", "actors", "limits"),
        ("slug", "title", "territory__name"),
    ),
    SearchedType(
        "practices",
        _("Pratiques"),
        Practice,
        "practices:list",
        ("summary", "description", "success_factors", "obstacles"),
    ),
    SearchedType(
        "trainings", _("Formations"), Training, "trainings:list", ("objectives", "audience")
    ),
    SearchedType("pistes", _("Pistes"), Piste, "practices:piste_list", ("lever", "details")),
    SearchedType(
        "orientations",
        _("Orientations"),
        Orientation,
        "practices:orientation_list",
        ("summary",),
        ("slug", "number", "title"),
    ),
    SearchedType(
        "findings",
        _("Repères"),
        Finding,
        "practices:finding_list",
        ("summary", "details", "places"),
        ("slug", "code", "title"),
    ),
    SearchedType(
        "sources",
        _("Rapports"),
        Source,
        None,
        ("description", "authors", "publisher"),
        ("slug", "short_title"),
    ),
    SearchedType(
        "territories",
        _("Territoires"),
        Territory,
        None,
        ("departement", "region"),
        ("slug", "name"),
    ),
]


def visible(model):
    """What visitors may see of a model; a territory is reached through its visible cases."""
    if model is Territory:
        return Territory.objects.with_published_cases()
    return model.objects.visible()


def excerpt(record, fields, stems):
    """From the first of the fields that holds a matched word, else from the first not empty."""
    texts = [getattr(record, name, "") or "" for name in fields]
    for text in texts:
        if html := highlight(text, stems, require_match=True):
            return html
    return highlight(next((text for text in texts if text), ""), stems)


@cache
def searched_records(model, vendor):
    """What visitors may see of a model, and its `core.search.probe`, built once per process:
    the ORM takes longer to write them than the database to run them, eight times a search.
    (The queryset is only ever cloned, never evaluated: it holds no rows.)"""
    queryset = visible(model)
    return queryset, probe(queryset)


def ranked_pages(models, query):
    """For each model, (the ids of its best matches, how many match up to the cap + 1): ranked
    inside the index (`best_matches_together`), so that a word found in thousands of records
    joins and sorts no full rows, and every kind in the same statements."""
    searches = []
    for model in models:
        queryset, visible_sql = searched_records(model, connection.vendor)
        searches.append(
            (queryset, query, SEARCH_RESULTS_PER_TYPE, SEARCH_COUNT_CAP + 1, visible_sql)
        )
    return best_matches_together(searches)


@require_safe
@cache_params("q")
def search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    compiled = compile_query(query)
    stems = compiled.stems
    groups = []
    broadened = False
    searched_types = SEARCHED_TYPES if compiled else []
    pages = ranked_pages([searched.model for searched in searched_types], compiled)
    if compiled.needs_all:
        # No record of some kinds holds every word: those holding some of them.
        unmatched = [n for n, (ids, _) in enumerate(pages) if not ids]
        wider = ranked_pages([searched_types[n].model for n in unmatched], compiled.broadened())
        for n, page in zip(unmatched, wider, strict=True):
            pages[n] = page
            broadened = broadened or bool(page[0])
    for searched, (ids, total) in zip(searched_types, pages, strict=True):
        results = []
        if ids:
            # Only visible records were ranked (`best_matches` checks them): no need to ask again.
            records = searched.model._default_manager.filter(pk__in=ids).only(
                *searched.shown_fields, *searched.excerpt_fields
            )
            if searched.model is CaseStudy:
                records = records.select_related("territory")
            by_pk = {record.pk: record for record in records}
            for record in (by_pk[pk] for pk in ids if pk in by_pk):
                territory = getattr(record, "territory", None)
                results.append(
                    {
                        "record": record,
                        # Worked out here rather than looked up by the template: a result
                        # without a territory made it try and fail three lookups.
                        "url": record.get_absolute_url(),
                        "place": territory.name if territory else "",
                        "title": highlight(str(record), stems, width=60),
                        "excerpt": excerpt(record, searched.excerpt_fields, stems),
                    }
                )
        groups.append(
            {
                "key": searched.key,
                "label": searched.label,
                "results": [result["record"] for result in results],
                "items": results,
                "total": min(total, SEARCH_COUNT_CAP),
                "capped": total > SEARCH_COUNT_CAP,
                "list_url": searched.list_url,
            }
        )
    total = sum(group["total"] for group in groups)
    context = {
        "query": query,
        "groups": groups,
        "total": total,
        "searched": bool(compiled),
        "suggestion": compiled.suggestion,
        "broadened": broadened,
        "capped": any(group["capped"] for group in groups),
        # On an empty page: each word alone, when there were several.
        "single_words": [group.typed for group in compiled.groups]
        if not total and len(compiled.groups) > 1
        else [],
    }
    return render(request, "search.html", context)


@require_safe
@cache_params()
def gaps(request):
    context = {
        "practices_without_training": Practice.objects.visible()
        .without_published_training()
        .for_list()
        .order_by("family", "title"),
        "trainings_without_practice": Training.objects.visible()
        .without_published_practice()
        .for_list()
        .order_by("domain", "title"),
        "family_labels": dict(Practice.Family.choices),
        "domain_labels": dict(Training.Domain.choices),
    }
    return render(request, "gaps.html", context)


@require_safe
@cache_params()
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bare(request):
    """The benchmark's reference: the cheapest response Django can give (see bench/)."""
    return HttpResponse("ok", content_type="text/plain")
