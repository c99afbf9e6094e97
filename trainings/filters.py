import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import SearchSortFilterSet, sort_filter, using
from practices.models import Practice

from .models import Training


class TrainingFilterSet(SearchSortFilterSet):
    domaine = django_filters.ChoiceFilter(
        label=_("Domaine"), choices=Training.Domain.choices, method=using("in_domain")
    )
    duree_min = django_filters.NumberFilter(
        label=_("Durée minimale (jours)"), method=using("at_least_days"), min_value=0, max_value=365
    )
    duree_max = django_filters.NumberFilter(
        label=_("Durée maximale (jours)"), method=using("at_most_days"), min_value=0, max_value=365
    )
    # Not "format": that parameter asks a list for its CSV download.
    modalite = django_filters.ChoiceFilter(
        label=_("Format"), choices=Training.Format.choices, method=using("of_format")
    )
    pratique = django_filters.ModelChoiceFilter(
        label=_("Pratique"),
        empty_label=_("Toutes"),
        queryset=Practice.objects.visible(),
        to_field_name="slug",
        method=using("for_practice"),
    )
    tri = sort_filter(("duree", _("Durée (la plus courte d'abord)")))

    facets = {"domaine": "domain", "modalite": "format", "pratique": "practices__slug"}
    extra_orderings = {"duree": ("duration_days", "title")}

    class Meta:
        model = Training
        fields = []
