"""Cross-app pages: home, search over every record type, the trainers' gaps page."""

from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from html import escape

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import Count, Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import CaseStudy, Territory
from core.cache import ALL_MODELS, cache_params, content_cached, content_key, request_versions
from core.listing import MAX_QUERY_LENGTH
from core.models import cached_url
from core.search import best_matches_together, compile_query, prepared_cursor, probe
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
    # The record page's view, as the model's `get_absolute_url` names it: the page gives 40
    # addresses, and asking the address prefix for each cost more than the rest of a result.
    detail_view: str
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
        "cases:detail",
        ("slug", "title", "territory__name"),
    ),
    SearchedType(
        "practices",
        _("Pratiques"),
        Practice,
        "practices:list",
        ("summary", "description", "success_factors", "obstacles"),
        "practices:detail",
    ),
    SearchedType(
        "trainings",
        _("Formations"),
        Training,
        "trainings:list",
        ("objectives", "audience"),
        "trainings:detail",
    ),
    SearchedType(
        "pistes",
        _("Pistes"),
        Piste,
        "practices:piste_list",
        ("lever", "details"),
        "practices:piste_detail",
    ),
    SearchedType(
        "orientations",
        _("Orientations"),
        Orientation,
        "practices:orientation_list",
        ("summary",),
        "practices:orientation_detail",
        ("slug", "number", "title"),
    ),
    SearchedType(
        "findings",
        _("Repères"),
        Finding,
        "practices:finding_list",
        ("summary", "details", "places"),
        "practices:finding_detail",
        ("slug", "code", "title"),
    ),
    SearchedType(
        "sources",
        _("Rapports"),
        Source,
        None,
        ("description", "authors", "publisher"),
        "practices:source_detail",
        ("slug", "short_title"),
    ),
    SearchedType(
        "territories",
        _("Territoires"),
        Territory,
        None,
        ("departement", "region"),
        "cases:territory_detail",
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


@dataclass(frozen=True)
class ResultReader:
    """How the search page reads the records a kind shows: the part of one statement for every
    kind, and how its row becomes the record."""

    sql: str  # with `{ids}` where the ids' placeholders go
    attnames: tuple[str, ...]  # the model's fields the row holds, pk first
    converters: tuple  # per field, the field's `to_python` when the row holds it as text
    has_place: bool  # the row's last column is the territory's name


# Every kind's row has as many columns (a UNION ALL): the kind's number, the pk, the fields.
RESULT_COLUMNS = 2 + max(
    len(searched.shown_fields) + len(searched.excerpt_fields) for searched in SEARCHED_TYPES
)


@cache
def result_reader(searched, vendor):
    """The SQL that reads, by pk, only the fields a result of this kind shows, written once per
    process: the ORM took longer to write a query per kind than the database to run them."""
    quote = connection.ops.quote_name
    meta = searched.model._meta
    columns, attnames, converters, has_place = [], [], [], False
    for name in (*searched.shown_fields, *searched.excerpt_fields):
        if name == "territory__name":
            # A case's place: the name of its territory, if any. A subquery rather than a join:
            # PostgreSQL's generic plan hashed every territory to join ten cases (0.18 -> 0.10
            # ms for the whole statement at 10,000 cases).
            territory = meta.get_field("territory")
            related = territory.related_model._meta
            # Bandit: table and column names from the models.
            place = (
                f"(SELECT place.{quote(related.get_field('name').column)}"  # nosec B608
                f" FROM {quote(related.db_table)} place"
                f" WHERE place.{quote(related.pk.column)} = record.{quote(territory.column)})"
            )
            has_place = True
            continue
        field_ = meta.get_field(name)
        columns.append(f"CAST(record.{quote(field_.column)} AS text)")
        attnames.append(field_.attname)
        text = field_.get_internal_type() in {"CharField", "SlugField", "TextField"}
        converters.append(None if text else field_.to_python)
    if has_place:
        columns.append(f"CAST({place} AS text)")
    columns += ["CAST(NULL AS text)"] * (RESULT_COLUMNS - 2 - len(columns))
    # PostgreSQL: the ids as one array, so that the statement is the same whatever their number
    # (prepared once, `prepared_cursor`); SQLite: a placeholder each.
    ids = "= ANY(%s)" if vendor == "postgresql" else "IN ({ids})"
    # Bandit: table and column names from the models; the ids are parameters.
    sql = (
        f"SELECT %s, record.{quote(meta.pk.column)}, {', '.join(columns)} "  # nosec B608
        f"FROM {quote(meta.db_table)} record "
        f"WHERE record.{quote(meta.pk.column)} {ids}"
    )
    return ResultReader(sql, (meta.pk.attname, *attnames), tuple(converters), has_place)


def record_builder(model, attnames, alias):
    """How a row of these fields becomes the record `Model.from_db` gives, holding only them
    (the others deferred, read if asked for).

    Built as `from_db` leaves it but without `Model.__init__`, which walks every field of the
    model to defer the others (13 -> 2 µs a record, forty a page), unless something needs
    `__init__`: a model of its own, or a receiver of `post_init`."""
    if model.__init__ is not Model.__init__ or post_init.has_listeners(model):
        names = [f.attname for f in model._meta.concrete_fields if f.attname in attnames]
        order = [attnames.index(name) for name in names]
        return lambda values: model.from_db(alias, names, [values[i] for i in order])

    def build(values):
        record = model.__new__(model)
        record.__dict__.update(zip(attnames, values, strict=True))
        state = record._state = ModelState()
        state.adding, state.db = False, alias
        return record

    return build


# What the search page shows of a record (the record, its place), kept by each server process:
# {(kind, pk, its `updated_at` as its ranking read it, the versions of every content model):
# (record, place)}. A save, a link made or unmade, a deletion changes the versions; the key
# holds the record's own stamp too. A result shown again is neither read nor built again.
# An OrderedDict: `popitem(last=False)` takes the oldest in one step, where looking for it in a
# dict (`next(iter(…))`) failed when another of gunicorn's threads kept a result meanwhile.
KEPT_RESULTS = OrderedDict()
KEPT_RESULTS_MAX = 2000


def keep_result(key, value):
    if len(KEPT_RESULTS) >= KEPT_RESULTS_MAX:
        try:
            KEPT_RESULTS.popitem(last=False)
        except KeyError:
            pass  # emptied by another thread meanwhile
    KEPT_RESULTS[key] = value


def read_results(request, searched_types, pages, stamps):
    """{kind's position: {pk: (record, place)}} of the records the page shows: those kept
    (`KEPT_RESULTS`), and the others read in one statement for every kind; a record holds only
    the fields a result shows (the others are deferred). `stamps`: per kind, {pk: updated_at}
    as the ranking read it."""
    if not any(ids for ids, _total in pages):
        return {}
    versions = request_versions(request, ALL_MODELS)
    found, missing, keys = {}, [], {}
    for n, (searched, (ids, total)) in enumerate(zip(searched_types, pages, strict=True)):
        found[n], unread = {}, []
        for pk in ids:
            stamp = stamps[n].get(pk)
            key = keys[n, pk] = (searched.key, pk, stamp, versions)
            if stamp is not None and (kept := KEPT_RESULTS.get(key)) is not None:
                found[n][pk] = kept
            else:
                unread.append(pk)
        missing.append((unread, total))
    for n, by_pk in read_records(searched_types, missing).items():
        for pk, value in by_pk.items():
            found[n][pk] = value
            if keys[n, pk][2] is not None:
                keep_result(keys[n, pk], value)
    return found


def read_records(searched_types, pages):
    """{kind's position: {pk: (record, place)}} of these records, every kind in one statement."""
    parts, params, readers = [], [], {}
    for n, (searched, (ids, _total)) in enumerate(zip(searched_types, pages, strict=True)):
        if ids:
            readers[n] = reader = result_reader(searched, connection.vendor)
            if connection.vendor == "postgresql":
                parts.append(reader.sql)
                params += [n, list(ids)]
            else:
                parts.append(reader.sql.format(ids=", ".join(["%s"] * len(ids))))
                params += [n, *ids]
    found = {n: {} for n in readers}
    if not parts:
        return found
    builders = {
        n: record_builder(searched_types[n].model, reader.attnames, connection.alias)
        for n, reader in readers.items()
    }
    with prepared_cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for n, pk, *values in rows:
        reader = readers[n]
        fields = values[: len(reader.converters)]
        fields = [
            value if convert is None or value is None else convert(value)
            for value, convert in zip(fields, reader.converters, strict=True)
        ]
        record = builders[n]([pk, *fields])
        place = values[len(reader.converters)] if reader.has_place else ""
        found[n][pk] = (record, place or "")
    return found


def result_html(url, title, place, excerpt):
    """One result of the search page: its title and excerpt (safe HTML, `highlight`), its place.

    Written here rather than by a `{% for %}` in search.html: the template's lookups and escaping
    took 0.5 of the 1.8 ms that rendering a page of 40 results cost."""
    html = f'<li class="mb-2"><a href="{escape(url)}">{title}</a>'
    if place:
        html += f' <span class="small text-body-secondary">({escape(place)})</span>'
    if excerpt:
        html += f'<br><span class="small">{excerpt}</span>'
    return html + "</li>"


def see_all(label, total, capped):
    """The text of the link from a kind's results to its list."""
    if capped:
        return _("Voir tous les résultats (%(label)s)") % {"label": label.lower()}
    return _("Voir tous les %(n)s résultats (%(label)s)") % {"n": total, "label": label.lower()}


class KeptWords:
    """The store `compile_query` keeps what it reads of the vocabulary in (`core.search.SYNONYMS`
    and each word's facts), as long as no content changes: the vocabulary holds the words of
    every kind of record, and the synonyms are content too. Keyed by word, not by query: a
    word's facts are the same in every query that holds it."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def prefix(self):
        # The content versions read here, once per request, are the request's first query; a
        # query without a word reads nothing.
        return content_key(self.request, "content", "search-words")

    def get_many(self, names):
        keys = {f"{self.prefix}:{name}": name for name in names}
        return {keys[key]: value for key, value in django_cache.get_many(keys).items()}

    def set_many(self, values):
        django_cache.set_many(
            {f"{self.prefix}:{name}": value for name, value in values.items()},
            settings.LIST_STATS_SECONDS,
        )


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
    stamps = [{} for _ in searches]
    return best_matches_together(searches, stamps=stamps), stamps


@require_safe
@cache_params("q")
def search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    compiled = compile_query(query, kept=KeptWords(request))
    stems = compiled.stems
    groups = []
    broadened = False
    searched_types = SEARCHED_TYPES if compiled else []
    pages, stamps = ranked_pages([searched.model for searched in searched_types], compiled)
    if compiled.needs_all:
        # No record of some kinds holds every word: those holding some of them.
        unmatched = [n for n, (ids, _) in enumerate(pages) if not ids]
        wider, wider_stamps = ranked_pages(
            [searched_types[n].model for n in unmatched], compiled.broadened()
        )
        for n, page, page_stamps in zip(unmatched, wider, wider_stamps, strict=True):
            pages[n], stamps[n] = page, page_stamps
            broadened = broadened or bool(page[0])
    # Only visible records were ranked (`best_matches` checks them): no need to ask again.
    shown = read_results(request, searched_types, pages, stamps)
    # What `core.models.detail_url` asks for each address, asked once.
    address = (get_urlconf(), get_script_prefix())
    for n, (searched, (ids, total)) in enumerate(zip(searched_types, pages, strict=True)):
        by_pk = shown.get(n, {})
        results = [by_pk[pk] for pk in ids if pk in by_pk]
        total, capped = min(total, SEARCH_COUNT_CAP), total > SEARCH_COUNT_CAP
        # « Voir tous » when the list shows more than the page.
        more = searched.list_url and total > len(results)
        groups.append(
            {
                "key": searched.key,
                "label": searched.label,
                "results": [record for record, _place in results],
                # Bandit: `result_html` escapes what it is given that is not already safe.
                "results_html": SafeString(  # nosec B703
                    "".join(
                        result_html(
                            cached_url(searched.detail_view, record.slug, *address),
                            highlight(str(record), stems, width=60),
                            place,
                            excerpt(record, searched.excerpt_fields, stems),
                        )
                        for record, place in results
                    )
                ),
                "total": total,
                "capped": capped,
                # The texts with a number, written here rather than by {% blocktranslate %} in
                # the template (0.3 ms for a page of four kinds).
                "count": _("plus de %(n)s") % {"n": total} if capped else str(total),
                "list_url": cached_url(searched.list_url, None, *address) if more else "",
                "see_all": see_all(searched.label, total, capped) if more else "",
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
