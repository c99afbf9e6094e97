"""Anonymous visitors' pages are cached; any content change makes the next visitor see it.

Pages are cached per content version (`practices.ContentVersion`), which signals bump on every
save, delete and link change of a content model. Reading the version costs one small query, and
is what keeps several server processes consistent without a shared cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from core.models import ContentVersion

# /proposer/ holds a CSRF token tied to each visitor: never shared from the cache.
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/bench/", "/proposer/")


def current_version():
    return ContentVersion.objects.values_list("number", flat=True).first() or 0


def bump_version(**kwargs):
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(pk=1)


def connect_invalidation(models):
    for model in models:
        post_save.connect(bump_version, sender=model, dispatch_uid=f"bump-save-{model._meta.label}")
        post_delete.connect(
            bump_version, sender=model, dispatch_uid=f"bump-delete-{model._meta.label}"
        )
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                bump_version,
                sender=field.remote_field.through,
                dispatch_uid=f"bump-m2m-{field.remote_field.through._meta.label}",
            )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method != "GET"
            or request.path.startswith(NOT_CACHED_PREFIXES)
            or request.user.is_authenticated
        ):
            return self.get_response(request)
        variant = "htmx" if request.headers.get("HX-Request") else "page"
        address = f"{request.get_host()}{request.get_full_path()}|{variant}"
        key = f"page:{current_version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            headers = {name: value for name, value in response.items() if name.lower() != "vary"}
            cache.set(key, (response.status_code, headers, response.content), seconds)
        return response
