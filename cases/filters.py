import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import SearchSortFilterSet, sort_filter, using
from practices.filters import published_sources
from practices.models import Practice, Theme

from .models import CaseStudy, Territory
from .official import POPULATION_BANDS


def territory_values(field):
    def choices():
        values = (
            # Only where the public can see a case: a draft's territory stays unknown.
            Territory.objects.with_published_cases()
            .exclude(**{field: ""})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()
        )
        return [(value, value) for value in values]

    return choices


class CaseStudyFilterSet(SearchSortFilterSet):
    type = django_filters.ChoiceFilter(
        label=_("Type de cas"), choices=CaseStudy.Kind.choices, method=using("of_kind")
    )
    type_territoire = django_filters.ChoiceFilter(
        label=_("Type de territoire"),
        choices=Territory.Kind.choices,
        method=using("in_territory_kind"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        empty_label=_("Toutes"),
        choices=territory_values("region"),
        method=using("in_region"),
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"),
        choices=territory_values("departement"),
        method=using("in_departement"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method=using("with_theme"),
    )
    pratique = django_filters.ModelChoiceFilter(
        label=_("Pratique"),
        empty_label=_("Toutes"),
        queryset=Practice.objects.visible(),
        to_field_name="slug",
        method=using("for_practice"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), empty_label=_("Toutes"), queryset=published_sources, to_field_name="slug"
    )
    taille = django_filters.ChoiceFilter(
        label=_("Taille de la collectivité"),
        empty_label=_("Toutes"),
        choices=[(key, label) for key, label, _low, _high in POPULATION_BANDS],
        method=using("of_population_band"),
    )
    annee = django_filters.NumberFilter(
        label=_("Année"), method=using("active_in"), min_value=1900, max_value=2100
    )
    tri = sort_filter(("periode", _("Période (la plus récente d'abord)")))

    facets = {
        "type": "kind",
        "type_territoire": "territory__kind",
        "region": "territory__region",
        "departement": "territory__departement",
        "theme": "themes__slug",
        "pratique": "practices__slug",
        "source": "source__slug",
    }
    extra_orderings = {"periode": ("-year_start", "title")}

    class Meta:
        model = CaseStudy
        fields = []
