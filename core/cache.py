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

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from core.models import ContentVersion

NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/bench/")
# Every content model, filled by `connect_invalidation` at start-up.
ALL_MODELS = set()


def label(model):
    return model._meta.label_lower


def bump(model_label):
    if settings.CONTENT_VERSIONS_IN_CACHE:
        key = f"version:{model_label}"
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)
    elif not ContentVersion.objects.filter(model=model_label).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(model=model_label)


def versions(labels):
    """The current version of each model, as a tuple in a fixed order (0: never changed)."""
    labels = sorted(labels)
    if settings.CONTENT_VERSIONS_IN_CACHE:
        found = cache.get_many([f"version:{name}" for name in labels])
        return tuple(found.get(f"version:{name}", 0) for name in labels)
    found = dict(ContentVersion.objects.filter(model__in=labels).values_list("model", "number"))
    return tuple(found.get(name, 0) for name in labels)


def request_versions(request, labels):
    """The versions of `labels`, read once per request whoever asks (page cache, fragments)."""
    memo = request.__dict__.setdefault("_content_versions", {})
    key = frozenset(labels)
    if key not in memo:
        memo[key] = versions(labels)
    return memo[key]


def schedule_bump(model_label):
    if settings.CONTENT_VERSIONS_IN_CACHE:
        # After the commit, so that no reader caches the old content under the new version.
        transaction.on_commit(lambda: bump(model_label))
    else:
        # In the writer's transaction: the new content and its version become visible together.
        bump(model_label)


def connect_invalidation(models):
    def on_change(sender, **kwargs):
        schedule_bump(label(sender))

    for model in models:
        ALL_MODELS.add(label(model))
        post_save.connect(on_change, sender=model, dispatch_uid=f"bump-save-{label(model)}")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"bump-delete-{label(model)}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                lambda sender, model=model, **kwargs: schedule_bump(label(model)),
                sender=through,
                weak=False,
                dispatch_uid=f"bump-m2m-{label(through)}",
            )


def shown_models(view):
    return set(getattr(view, "shows", None) or ALL_MODELS)


def cache_key(request, view):
    """The page's key, or None when the page is not to be cached."""
    understood = getattr(view, "cache_params", None)
    if understood is None and request.GET:
        return None
    params = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name in (understood or ())
        for value in values
        if value != ""
    )
    htmx = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    versions = request_versions(request, shown_models(view))
    address = (
        f"{versions}|{request.get_host()}|{request.path}|{params}|{'htmx' if htmx else 'page'}"
    )
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


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
        key = cache_key(request, getattr(match.func, "view_class", match.func))
        if key is None:
            return self.get_response(request)
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
        ):
            headers = {name: value for name, value in response.items() if name.lower() != "vary"}
            cache.set(key, (response.status_code, headers, response.content), seconds)
        return response


def cache_params(*names):
    """Declares the query parameters a function view reads, so its pages can be cached."""

    def decorate(view):
        view.cache_params = frozenset(names)
        return view

    return decorate
