"""Anonymous visitors' pages are cached; a change shows at once to the next visitor.

Each content model has a version, bumped by every save, delete and link change of its records.
A page is cached under the versions of the models it shows (its view's `shows`; every model by
default), so an edit to a training leaves the case lists cached. The versions live in the database
(one small query per request keeps every server process consistent) or, when `DJANGO_CACHE_URL`
points at Redis, in that shared cache beside the pages.

A page is cached under the query parameters it understands (its view's `cache_params`), sorted,
so junk parameters neither change the answer nor fill the cache; a view that declares nothing is
cached only without a query string.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.timezone import localdate

from core.models import ContentVersion, VersionedModel

# /proposer/ holds a CSRF token tied to each visitor: never shared from the cache.
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/bench/", "/proposer/")
# Every content model, filled by `connect_invalidation` at start-up.
ALL_MODELS = set()


def label(model):
    return model._meta.label_lower


def fresh_version():
    """Where a version kept in the shared cache starts: after Redis is emptied (a restart, the
    README's FLUSHDB), the versions start over above any number used before, so that nothing a
    server process keeps under the versions of before (the search page's results) is taken for
    current. Nanoseconds: no model is saved as often."""
    return time.time_ns()


def bump(model_label):
    if settings.CONTENT_VERSIONS_IN_CACHE:
        key = f"version:{model_label}"
        if not cache.add(key, fresh_version(), timeout=None):
            cache.incr(key)
    elif not ContentVersion.objects.filter(model=model_label).update(number=F("number") + 1):
        if not ContentVersion.objects.get_or_create(model=model_label)[1]:
            # Another writer created the row since the update above (the first change of the
            # model, made twice at once): this change is counted after that one.
            ContentVersion.objects.filter(model=model_label).update(number=F("number") + 1)


def current_versions():
    """Every content model's version, {label: number}, in one read."""
    if settings.CONTENT_VERSIONS_IN_CACHE:
        keys = [f"version:{name}" for name in ALL_MODELS]
        found = cache.get_many(keys)
        if len(found) < len(keys):
            # Never changed since the cache was emptied: starts over (`fresh_version`).
            for key in set(keys) - found.keys():
                cache.add(key, fresh_version(), timeout=None)
            found = cache.get_many(keys)
        return {name: found.get(f"version:{name}", 0) for name in ALL_MODELS}
    if (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    ):
        # The first query of a request on a reused connection: Django would first try the
        # connection with a query of its own (CONN_HEALTH_CHECKS). This read is that check, one
        # round trip less on every page; a connection the server dropped is opened again.
        connection.health_check_done = True
        try:
            return read_versions()
        except (InterfaceError, OperationalError):
            connection.close()
    return read_versions()


def read_versions():
    # Every page the cache answers runs this: a plain query over a table of a dozen rows costs
    # a third of the ORM's.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT model, number FROM {ContentVersion._meta.db_table}")  # nosec B608
        return dict(cursor.fetchall())


def request_versions(request, labels):
    """The versions of `labels` as a tuple in a fixed order (0: never changed), read once per
    request whoever asks (page cache, fragments)."""
    if not hasattr(request, "_content_versions"):
        request._content_versions = current_versions()
    return tuple(request._content_versions.get(name, 0) for name in sorted(labels))


@functools.cache
def release():
    """The release this server process runs: its static files (their manifest's hash) and the
    name the deployment gives it (`DJANGO_RELEASE`). A page or fragment kept by the previous
    release, in a cache shared between servers, links to files a deployment may have removed,
    or shows what its templates and code no longer do."""
    return f"{getattr(staticfiles_storage, 'manifest_hash', '')}:{settings.RELEASE}"


def content_key(request, kind, *parts, models=None):
    """A cache key for what depends only on the content of `models` (every content model by
    default) and on `parts`: it changes with the first save, delete or link change among them."""
    versions = request_versions(request, models or ALL_MODELS)
    # The addresses a card links to carry the site's prefix, which gunicorn takes from a request
    # header through a trusted proxy: a fragment kept for one prefix is never shown under another.
    address = "|".join(map(str, (release(), get_script_prefix(), *parts, versions)))
    return f"{kind}:{hashlib.sha256(address.encode()).hexdigest()}"


def content_cached(request, name, compute, models=None):
    """`compute()`, kept as long as the content of `models` (every content model by default) does
    not change: counts and aggregates that cost more than the rest of their page."""
    key = content_key(request, "content", name, models=models)
    return cache.get_or_set(key, compute, settings.LIST_STATS_SECONDS)


def card_prefetches(model):
    """What a card reads across relations (a case card's practices): what its model's lists
    read with their records (`for_list()`). Pages read their records without it
    (`QuerySet.for_cards()`), and `content_fragments` reads it for the cards to render only."""
    queryset = model._default_manager.all()
    return queryset.for_list()._prefetch_related_lookups if hasattr(queryset, "for_list") else ()


def card_records(records):
    """`records` as their cards read them: with what the cards read across relations. A list
    reads only the ids of its page (`stamp_fields`: its cards mostly come from the cache); the
    records whose card is to be rendered are read here whole, keeping what the page set on them
    (a practice's counts). A record deleted in between has no card."""
    model = type(records[0])
    if not records[0].get_deferred_fields():
        prefetch_related_objects(records, *card_prefetches(model))
        return records
    queryset = model._default_manager.filter(pk__in=[record.pk for record in records])
    read = (queryset.for_list() if hasattr(queryset, "for_list") else queryset).in_bulk()
    whole = []
    for record in records:
        if record.pk in read:
            full = read[record.pk]
            full.__dict__.update({k: v for k, v in vars(record).items() if k not in vars(full)})
            whole.append(full)
    return whole


def stamp_fields(model):
    """What a page reads of the records whose cards, or API JSON, mostly come from the cache:
    their id, and their own version when they have one (`record_keys`), with the fields written
    without a new version that they show (`VersionedModel.unversioned_fields`)."""
    if not issubclass(model, VersionedModel):
        return ("pk",)
    return ("pk", "version", *model.unversioned_fields)


def record_keys(request, kind, model, stamps, *parts, models=None):
    """A cache key for each record's part of a page that shows the record and records of other
    models, never another record of its own model (a card, a record's JSON in the API), in the
    order of `stamps`: each record's `stamp_fields`, (pk, version, …) or (pk,).

    Kept as long as the content of `models` (every content model by default) does not change,
    except that a versioned model's (`VersionedModel`) own version gives way to each record's:
    every save of a record raises its version, so saving one case keeps the other cases'
    cards. A link between records bumps the models on both sides (`on_link_change`): the other
    side's version still moves."""
    shown = set(models or ALL_MODELS)
    if issubclass(model, VersionedModel):
        shown.discard(label(model))
    # One key for the versions, each record's stamp after it: a list has twenty cards, and
    # hashing the versions twenty times costs more than reading the cards.
    prefix = content_key(request, kind, *parts, models=shown)
    return [f"{prefix}:{'.'.join(map(str, stamp))}" for stamp in stamps]


def content_fragments(request, name, records, render, models=None):
    """`render(record)` for each record (`record_keys`): a list shows the same cards page after
    page, and a record's card on other records' pages. One cache read for them all; what a
    card shows is read for the cards to render only (`card_records`)."""
    records = list(records)
    if not records:
        return []
    model = type(records[0])
    fields = stamp_fields(model)
    stamps = [tuple(getattr(record, field) for field in fields) for record in records]
    keys = record_keys(request, "fragment", model, stamps, name, models=models)
    found = cache.get_many(keys)
    to_render = [record for key, record in zip(keys, records, strict=True) if key not in found]
    if to_render:
        key_of = dict(zip((record.pk for record in records), keys, strict=True))
        missing = {key_of[record.pk]: render(record) for record in card_records(to_render)}
        cache.set_many(missing, settings.LIST_STATS_SECONDS)
        found.update(missing)
    return [found[key] for key in keys if key in found]


def schedule_bump(model_label):
    if settings.CONTENT_VERSIONS_IN_CACHE:
        # After the commit, so that no reader caches the old content under the new version.
        transaction.on_commit(lambda: bump(model_label))
    else:
        # In the writer's transaction: the new content and its version become visible together.
        bump(model_label)


# Module functions: signals hold their receivers by weak reference.
def on_change(sender, **kwargs):
    schedule_bump(label(sender))


def on_link_change(sender, instance, action, model, **kwargs):
    if action.startswith("post_"):
        # A link shows on both sides (a case's pistes, a piste's cases); `model` is the other
        # side, whichever declares the relation.
        for changed in {label(type(instance)), label(model)} & ALL_MODELS:
            schedule_bump(changed)


def connect_invalidation(models):
    for model in models:
        ALL_MODELS.add(label(model))
        post_save.connect(on_change, sender=model, dispatch_uid=f"bump-save-{label(model)}")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"bump-delete-{label(model)}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                on_link_change, sender=through, dispatch_uid=f"bump-m2m-{label(through)}"
            )


def shown_models(view, request=None):
    if request is not None and request.GET.get("format") == "csv":
        # A download carries its table's links to other record types (a case's pistes, a
        # finding's practices…), which the list page itself does not show.
        return set(ALL_MODELS)
    if request is not None and request.GET.get("q", "").strip():
        # A search reads the editors' synonyms and corrects typed words from the vocabulary
        # that every kind of record brings to the index: what it finds follows them all.
        return set(ALL_MODELS)
    return set(getattr(view, "shows", None) or ALL_MODELS)


HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def wants_fragment(request):
    """Whether htmx asks for a list's results only. A boosted request and a history restore (the
    back button on htmx's cache miss) swap the whole <body>: they need the whole page. The views
    and the page cache's key share this rule, so that neither variant is stored as the other."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def understood_params(request, view):
    """The non-empty query parameters the view declares, by name; a repeated parameter keeps the
    order of its values (a filter reads the last one)."""
    understood = getattr(view, "cache_params", None) or ()
    params = [
        (name, value)
        for name, values in request.GET.lists()
        if name in understood
        for value in values
        if value != ""
    ]
    return sorted(params, key=lambda param: param[0])


def query_dict(params):
    query = QueryDict(mutable=True)
    for name, value in params:
        query.appendlist(name, value)
    query._mutable = False
    return query


def cache_key(request, view):
    """The page's key, or None when the page is not to be cached."""
    understood = getattr(view, "cache_params", None)
    if understood is None and request.GET:
        return None
    params = understood_params(request, view)
    variant = "htmx" if wants_fragment(request) else "page"
    versions = request_versions(request, shown_models(view, request))
    # A record's citation gives the day it is read: a page kept yesterday is not today's.
    address = (
        f"{release()}|{versions}|{request.get_host()}|{request.path}|{params}|{variant}|"
        f"{localdate()}"
    )
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


def shareable(response):
    """False for a page made for one visitor: marked private or uncacheable, or varying on the
    cookie (a form's CSRF token)."""
    control = response.get("Cache-Control", "")
    vary = response.get("Vary", "")
    return not any(word in control for word in ("private", "no-store", "no-cache")) and (
        "cookie" not in vary.lower()
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(NOT_CACHED_PREFIXES)
            or request.user.is_authenticated
        ):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        view = getattr(match.func, "view_class", match.func)
        key = cache_key(request, view)
        if key is None:
            return self.get_response(request)
        # The view sees only what the key holds, so that the page stored for one address is the
        # page every address sharing the key would get (no junk parameter in its links).
        request.GET = query_dict(understood_params(request, view))
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and request.method == "GET"
            and not response.cookies
            and not response.streaming
            and shareable(response)
        ):
            headers = dict(response.items())
            cache.set(key, (response.status_code, headers, response.content), seconds)
        return response


def cache_params(*names):
    """Declares the query parameters a function view reads, so its pages can be cached."""

    def decorate(view):
        view.cache_params = frozenset(names)
        return view

    return decorate
