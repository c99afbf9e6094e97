"""What every public list shares: a FilterSet base with search and sort, facet counts, pagination."""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.opendata import CsvExportMixin
from core.text import search_terms

MAX_QUERY_LENGTH = 200


def using(method_name):
    """A filter's `method` that hands the value to the queryset method of that name: the
    FilterSets stay thin adapters over the querysets, where each predicate lives once."""
    return lambda queryset, name, value: getattr(queryset, method_name)(value)


def sort_filter(*orderings):
    """The `tri` filter: relevance (the default), title, the list's own orderings, most recent."""
    return django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="sort_results",
        empty_label=_("Pertinence"),
        choices=[("titre", _("Titre")), *orderings, ("recent", _("Les plus récemment modifiés"))],
    )


class SearchSortFilterSet(django_filters.FilterSet):
    """`q` searches the record's folded text; `tri` orders the results."""

    q = django_filters.CharFilter(
        label=_("Rechercher"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    tri = sort_filter()

    # Filters whose options show a count; each entry: filter name → the values() path counted.
    facets: dict[str, str] = {}

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def sort_results(self, queryset, name, value):
        # The ordering itself is applied in `qs`, after every filter, so that relevance can see `q`.
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("tri") if self.is_bound and self.is_valid() else ""
        query = self.form.cleaned_data.get("q") if self.is_bound and self.is_valid() else ""
        return self.order(queryset, sort, query)

    def order(self, queryset, sort, query):
        title = self.title_field
        if sort == "titre":
            return queryset.order_by(title, "pk")
        if sort == "recent":
            return queryset.order_by("-updated_at", "pk")
        if sort in self.extra_orderings:
            return queryset.order_by(*self.extra_orderings[sort], "pk")
        if search_terms(query or ""):
            return queryset.by_relevance(query)
        return queryset.order_by(*self.default_ordering, "pk")

    title_field = "title"
    default_ordering = ("title",)
    extra_orderings: dict[str, tuple[str, ...]] = {}

    def facet_counts(self):
        """For each facet, {value: count} of the results it would give with the other filters kept.

        One grouped query per facet, whatever the number of options.
        """
        cleaned = self.form.cleaned_data if self.is_bound else {}
        applied = {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "") and name != "tri"
        }
        counts = {}
        for facet, path in self.facets.items():
            queryset = self.queryset
            for name, value in applied.items():
                if name != facet:
                    queryset = self.filters[name].filter(queryset, value)
            rows = (
                queryset.order_by()
                .values(path)
                .annotate(n=Count("pk", distinct=True))
                .values_list(path, "n")
            )
            counts[facet] = {value: n for value, n in rows if value not in (None, "")}
        return counts


class FacetedListView(CsvExportMixin, FilterView):
    """A FilterView that shows facet counts, answers an out-of-range page with the last page, and serves
    its rows as CSV (`csv_table`)."""

    paginate_by = 20
    strict = True
    template_name = "list.html"
    # htmx requests replace only the results, not the whole page.
    results_template_name = "includes/results.html"
    card_template = None
    page_title = ""
    page_intro = ""

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.results_template_name]
        return [self.template_name]

    def paginate_queryset(self, queryset, page_size):
        """A page number past the end shows the last page, and one that is not a number the
        first: a shared link to page 9 of a list that has shrunk still shows results."""
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=True
        )
        asked = self.request.GET.get(self.page_kwarg, "").strip()
        if not asked.isdecimal():
            number = 1
        elif len(asked) > 9:
            # Past any list's end, and too long for int() to parse cheaply.
            number = paginator.num_pages
        else:
            number = min(max(int(asked), 1), paginator.num_pages)
        page = paginator.page(number)
        return (paginator, page, page.object_list, page.has_other_pages())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        counts = filterset.facet_counts() if not filterset.is_bound or filterset.is_valid() else {}
        label_facets(filterset.form, counts)
        context["facet_counts"] = counts
        context["card_template"] = self.card_template
        context["page_title"] = self.page_title
        context["page_intro"] = self.page_intro
        context["is_filtered"] = any(
            value for key, value in self.request.GET.items() if key not in {"page"}
        )
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        return context


def label_facets(form, counts):
    """Append « (n) » to each option of a faceted field."""
    for name, by_value in counts.items():
        field = form.fields.get(name)
        if field is None:
            continue
        if hasattr(field, "queryset"):
            to_field = getattr(field, "to_field_name", None) or "pk"
            field.label_from_instance = lambda obj, to_field=to_field, by_value=by_value: (
                f"{obj} ({by_value.get(getattr(obj, to_field), 0)})"
            )
        else:
            field.choices = [
                (value, f"{label} ({by_value.get(value, 0)})" if value else label)
                for value, label in field.choices
            ]


class PublishedDetailView(DetailView):
    """A record's page: published records for everyone, drafts too for staff (a preview)."""

    def get_queryset(self):
        queryset = self.get_base_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.published()

    def get_base_queryset(self):
        return self.model.objects.all()
