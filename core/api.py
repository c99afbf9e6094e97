"""What every app's API router shares: pagination, filters taken from the site's FilterSets,
published-only lookups by slug, and the reference to another record."""

from decimal import Decimal

import django_filters
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination
from pydantic import create_model

PAGE_SIZE = 50


class Pagination(PageNumberPagination):
    """Pages of 50 (at most 100 on request); a page number beyond any possible offset is refused."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=100, **kwargs)


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


def filtered(filterset_class, filters, queryset):
    data = {name: str(value) for name, value in filters.dict().items() if value not in (None, "")}
    filterset = filterset_class(data, queryset=queryset)
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
