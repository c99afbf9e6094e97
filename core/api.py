"""What every app's API router shares: pagination, filters taken from the site's FilterSets,
published-only lookups by slug, and the reference to another record."""

from decimal import Decimal
from functools import wraps

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.core.validators import slug_re
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer
from pydantic import create_model

from core.cache import content_cached, record_keys, stamp_fields

PAGE_SIZE = 50
# ninja's renderer, which NinjaAPI uses unless told otherwise.
RENDERER = JSONRenderer()


class Pagination(PageNumberPagination):
    """Pages of 50 (at most 100 on request); a page number beyond any possible offset is refused."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=100, **kwargs)


def kept_pages(schema):
    """`@paginate(Pagination)` for a list of content records whose JSON (`schema`) is kept in the
    cache, record by record (`core.cache.record_keys`) — as a record's card on the site: a page
    reads the ids and versions of its records and builds the JSON of the records not kept yet (their
    relations, ninja's validation: ~1 ms a record). The count is kept per content and filters.
    The answer is the one ninja would give (same validation, same renderer)."""

    def decorator(func):
        paginator = Pagination()
        # ninja's own pagination, for the parameters and the documented answer it declares.
        paginated = paginate(Pagination)(func)

        @wraps(paginated)
        def view(request, **kwargs):
            pagination = kwargs.pop("ninja_pagination", None) or paginator.Input()
            queryset = func(request, **kwargs)
            count = content_cached(
                request, f"api-count:{func.__qualname__}:{sorted(kwargs.items())!r}", queryset.count
            )
            size = paginator._get_page_size(pagination.page_size)
            offset = (pagination.page - 1) * size
            page = queryset.select_related(None).prefetch_related(None)[offset : offset + size]
            stamps = list(page.values_list(*stamp_fields(queryset.model)))
            ids = [pk for pk, *_version in stamps]
            # The records' addresses are absolute: kept per site address.
            keys = dict(
                zip(
                    ids,
                    record_keys(
                        request,
                        "api",
                        queryset.model,
                        stamps,
                        schema.__qualname__,
                        request.build_absolute_uri("/"),
                    ),
                    strict=True,
                )
            )
            kept = cache.get_many(keys.values())
            missing = [pk for pk in ids if keys[pk] not in kept]
            if missing:
                context = {"request": request, "response_status": 200}
                built = {
                    keys[record.pk]: RENDERER.render(
                        request,
                        schema.from_orm(record, context=context).model_dump(),
                        response_status=200,
                    )
                    for record in queryset.filter(pk__in=missing)
                }
                cache.set_many(built, settings.LIST_STATS_SECONDS)
                kept.update(built)
            # A record deleted in between is left out. The records' JSON as json.dumps would
            # write the whole answer (its default separators), without encoding them again.
            items = ", ".join(kept[keys[pk]] for pk in ids if keys[pk] in kept)
            return HttpResponse(
                f'{{"items": [{items}], "count": {count}}}',
                content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}",
            )

        return view

    return decorator


def absolute(context, obj):
    return context["request"].build_absolute_uri(obj.get_absolute_url())


class Ref(Schema):
    """Another record, as a link."""

    slug: str
    title: str
    url: str

    @staticmethod
    def resolve_title(obj):
        return str(obj.title)

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


class Record(Schema):
    """What every content record gives besides its own fields: its address and provenance."""

    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


def filter_schema(filterset_class):
    """The query parameters of a list endpoint: exactly the filters of the site's list, so the
    site and the API cannot drift apart."""
    fields = {
        name: (
            (Decimal if isinstance(filter_, django_filters.NumberFilter) else str) | None,
            Field(None, description=str(filter_.label)),
        )
        for name, filter_ in filterset_class.base_filters.items()
    }
    name = filterset_class.__name__.removesuffix("FilterSet") + "Filters"
    return create_model(name, __base__=Schema, **fields)


def filtered(request, filterset_class, filters, queryset):
    data = {name: str(value) for name, value in filters.dict().items() if value not in (None, "")}
    # With the request, the options read from the content (régions…) are read once per content.
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise HttpError(
            400,
            "; ".join(f"{name} : {' '.join(errors)}" for name, errors in filterset.errors.items()),
        )
    return filterset.qs


def detail(queryset, slug):
    try:
        # A slug is letters, digits and dashes: anything else names no record (and a NUL byte
        # would make PostgreSQL refuse the query).
        if not slug_re.match(slug):
            raise Http404
        return get_object_or_404(queryset, slug=slug)
    except Http404 as error:
        raise HttpError(404, "Aucune fiche publiée ne porte ce slug.") from error
