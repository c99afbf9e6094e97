import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import SearchSortFilterSet, using

from .models import Finding, Orientation, Piste, Practice, Source, Tag, Theme


def published_sources(request):
    return Source.objects.visible()


class PracticeFilterSet(SearchSortFilterSet):
    famille = django_filters.ChoiceFilter(
        label=_("Famille"),
        empty_label=_("Toutes"),
        choices=Practice.Family.choices,
        method=using("in_family"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method=using("with_theme"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), empty_label=_("Toutes"), queryset=published_sources, to_field_name="slug"
    )

    facets = {"famille": "family", "theme": "themes__slug", "source": "source__slug"}

    class Meta:
        model = Practice
        fields = []


class OrientationFilterSet(SearchSortFilterSet):
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), empty_label=_("Toutes"), queryset=published_sources, to_field_name="slug"
    )

    facets = {"source": "source__slug"}
    default_ordering = ("source__title", "number")

    class Meta:
        model = Orientation
        fields = []


class PisteFilterSet(SearchSortFilterSet):
    orientation = django_filters.ModelChoiceFilter(
        label=_("Orientation"),
        empty_label=_("Toutes"),
        queryset=Orientation.objects.visible().select_related("source"),
        to_field_name="slug",
        method=using("in_orientation"),
    )
    etiquette = django_filters.ModelChoiceFilter(
        label=_("Étiquette"),
        empty_label=_("Toutes"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        method=using("with_tag"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), empty_label=_("Toutes"), queryset=published_sources, to_field_name="slug"
    )

    facets = {
        "orientation": "orientation__slug",
        "etiquette": "tags__slug",
        "source": "source__slug",
    }
    default_ordering = ("orientation__source__title", "orientation__number", "number")

    class Meta:
        model = Piste
        fields = []


class FindingFilterSet(SearchSortFilterSet):
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Finding.Kind.choices, method=using("of_kind")
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), queryset=published_sources, to_field_name="slug"
    )

    facets = {"type": "kind", "source": "source__slug"}
    default_ordering = ("source__title", "kind", "code")

    class Meta:
        model = Finding
        fields = []
