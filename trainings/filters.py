import django_filters
from django.utils.translation import gettext_lazy as _

from practices.models import Practice
from transfo.listing import SearchSortFilterSet

from .models import Training


class TrainingFilterSet(SearchSortFilterSet):
    domaine = django_filters.ChoiceFilter(
        label=_("Domaine"), choices=Training.Domain.choices, method="filter_domain"
    )
    duree_min = django_filters.NumberFilter(
        label=_("Durée minimale (jours)"), method="filter_min_days", min_value=0, max_value=365
    )
    duree_max = django_filters.NumberFilter(
        label=_("Durée maximale (jours)"), method="filter_max_days", min_value=0, max_value=365
    )
    # Not "format": that parameter asks a list for its CSV download.
    modalite = django_filters.ChoiceFilter(
        label=_("Format"), choices=Training.Format.choices, method="filter_format"
    )
    pratique = django_filters.ModelChoiceFilter(
        label=_("Pratique"),
        queryset=Practice.objects.published(),
        to_field_name="slug",
        method="filter_practice",
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="sort_results",
        empty_label=_("Pertinence"),
        choices=[
            ("titre", _("Titre")),
            ("duree", _("Durée (la plus courte d'abord)")),
            ("recent", _("Les plus récemment modifiées")),
        ],
    )

    facets = {"domaine": "domain", "modalite": "format", "pratique": "practices__slug"}
    extra_orderings = {"duree": ("duration_days", "title")}

    class Meta:
        model = Training
        fields = []

    def filter_domain(self, queryset, name, value):
        return queryset.in_domain(value)

    def filter_min_days(self, queryset, name, value):
        return queryset.at_least_days(value)

    def filter_max_days(self, queryset, name, value):
        return queryset.at_most_days(value)

    def filter_format(self, queryset, name, value):
        return queryset.of_format(value)

    def filter_practice(self, queryset, name, value):
        return queryset.for_practice(value)
