"""What every public list shares: a FilterSet base with search and sort, facet counts, pagination."""

import hashlib

import django_filters
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count
from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.cache import HTMX_HEADERS, request_versions, shown_models, wants_fragment
from core.opendata import CsvExportMixin
from core.search import search_or_broaden
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
        return queryset.search(self.compiled_query(value))

    def compiled_query(self, value):
        """The query compiled once per list page (the facet counts search again and again), and
        broadened to « some of the words » when no record of the list holds them all."""
        memo = self.__dict__.setdefault("_compiled_queries", {})
        if value not in memo:
            memo[value] = search_or_broaden(self.queryset, value)
        return memo[value]

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
            return queryset.by_relevance(self.compiled_query(query))
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


class ElidedPagesMixin:
    """`page_range` for the pagination partial: the first, the last and the pages near the current
    one (a list of 10,000 cases has 500 pages)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("page_obj") is not None:
            context["page_range"] = context["paginator"].get_elided_page_range(
                context["page_obj"].number, on_each_side=2, on_ends=1
            )
        return context


class KnownCountPaginator(Paginator):
    """A paginator told its count, when the count is already known."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count


class FacetedListView(ElidedPagesMixin, CsvExportMixin, FilterView):
    """A FilterView that shows facet counts, answers an out-of-range page with a 404, and serves
    its rows as CSV (`csv_table`).

    The result count and the facet counts depend only on the filters and on the content: they
    are kept in the cache under the versions of the models the list shows (`shows`), so paging
    and sorting a list, or coming back to it, does not count again.
    """

    paginate_by = 20
    strict = True
    template_name = "list.html"
    # htmx requests replace only the results, not the whole page.
    results_template_name = "includes/results.html"
    card_template = None
    page_title = ""
    page_intro = ""

    # The content models whose changes alter the list (see core.cache); None: all of them.
    shows = None
    sort_param = "tri"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.filterset_class is not None:
            # The page cache keys pages on these parameters only.
            cls.cache_params = frozenset(cls.filterset_class.base_filters) | {"page", "format"}

    def content_key(self, kind, exclude=()):
        """A cache key for what depends only on the content and on the filters of the request."""
        # The last value of a repeated parameter is the one a filter reads.
        applied = sorted(
            (name, value)
            for name, value in self.request.GET.items()
            if name in self.filterset.filters and name not in exclude and value != ""
        )
        versions = request_versions(self.request, shown_models(self))
        address = f"{type(self).__qualname__}|{versions}|{applied}"
        return f"{kind}:{hashlib.sha256(address.encode()).hexdigest()}"

    def list_stats(self):
        """{"total": n, "facets": {…}} for the current filters, from the cache when possible."""
        filterset = self.filterset
        if filterset.is_bound and not filterset.is_valid():
            return {"total": None, "facets": {}}
        key = self.content_key("list-stats", exclude={self.sort_param})
        return cache.get_or_set(
            key,
            lambda: {"total": filterset.qs.count(), "facets": filterset.facet_counts()},
            settings.LIST_STATS_SECONDS,
        )

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        self.stats = self.list_stats()
        return KnownCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count=self.stats["total"],
            **kwargs,
        )

    def filter_form_html(self, form, counts):
        """The filter form, rendered once per content and filters: with hundreds of options,
        rendering it costs more than the rest of the page."""

        def render():
            label_facets(form, counts)
            # Crispy's escaped rendering; it stays a SafeString through the cache's pickling.
            return as_crispy_form(form)

        if self.filterset.is_bound and not self.filterset.is_valid():
            return render()
        return cache.get_or_set(self.content_key("filter-form"), render)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The same address answers a fragment or the whole page: browsers must not keep one as
        # the other (htmx pushes the filtered address into the history).
        patch_vary_headers(response, HTMX_HEADERS)
        return response

    def get_template_names(self):
        if wants_fragment(self.request):
            return [self.results_template_name]
        return [self.template_name]

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, EmptyPage, PageNotAnInteger) as error:
            raise Http404(_("Cette page de résultats n'existe pas.")) from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        counts = self.stats["facets"] if hasattr(self, "stats") else self.list_stats()["facets"]
        context["facet_counts"] = counts
        context["filter_form"] = self.filter_form_html(filterset.form, counts)
        context["card_template"] = self.card_template
        context["page_title"] = self.page_title
        context["page_intro"] = self.page_intro
        context["is_filtered"] = any(
            value
            for key, value in self.request.GET.items()
            if key in self.cache_params and key != "page"
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
    """A record's page: visible records for everyone, drafts too for staff (a preview)."""

    # No query parameter changes a record's page.
    cache_params = frozenset()

    def public_records(self):
        return self.model.objects.visible()

    def records(self):
        return self.model.objects.all() if self.request.user.is_staff else self.public_records()

    def get_queryset(self):
        return self.records().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Staff see what the public does not: say so, whether the record itself is a draft or a
        # record it is reached through is (its source, a piste's orientation).
        context["hidden_from_public"] = (
            self.request.user.is_staff
            and not self.public_records().filter(pk=self.object.pk).exists()
        )
        return context
