"""What every public list shares: a FilterSet base with search and sort, facet counts, pagination."""

import copy
from functools import lru_cache

import django_filters
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate, template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django.views.generic.base import ContextMixin
from django_filters.views import FilterView

from core.cache import (
    HTMX_HEADERS,
    content_cached,
    content_key,
    shown_models,
    stamp_fields,
    wants_fragment,
)
from core.opendata import CsvExportMixin
from core.search import RankedRecords, search_or_broaden
from core.text import fold, search_terms

MAX_QUERY_LENGTH = 200
# A select with more options than this gets a search box (progressive enhancement).
SEARCHABLE_OPTIONS = 15


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


def content_choices(request, key, choices):
    # A function, not a partial: a form copies its fields' choices, and a function is copied
    # as itself (the request it holds cannot be copied).
    return lambda: content_cached(request, key, choices)


class Select(forms.Select):
    """Django's select with its options written here rather than through a template each: the
    same HTML, four times faster for a filter of two hundred practices (what a list renders
    after each change to its content). Named as Django's: crispy-forms gives the widget's
    class name to the element as a CSS class."""

    template_name = "core/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["options_html"] = mark_safe(  # nosec B308 B703: every part is escaped
            "".join(_options_html(group, options) for group, options, _ in widget["optgroups"])
        )
        return context


def _options_html(group, options):
    """As Django's select.html and select_option.html write them."""
    html = [format_html('\n  <optgroup label="{}">', _as_written(group))] if group else []
    for option in options:
        # `stringformat:'s'` in the templates: str(), then escaped unless a SafeString.
        attrs = (
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, str(value))
            for key, value in option["attrs"].items()
            if value is not False
        )
        html.append(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                str(option["value"]),
                mark_safe("".join(attrs)),  # nosec B308 B703: escaped above
                _as_written(option["label"]),
            )
        )
    if group:
        html.append("\n  </optgroup>")
    return "".join(html)


def _as_written(value):
    """A label as `{{ label }}` writes it (Django's `render_value_in_context`): a number or a
    date in the active language (« 2,5 », « 2 janvier 2024 »), a datetime in the current time
    zone, anything not a string by its str(), escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


class SearchSortFilterSet(django_filters.FilterSet):
    """`q` searches the record's folded text; `tri` orders the results.

    django-filter deep-copies every filter and builds a new form class — every field, every
    option — for each request: a fifth of a list page's time. Here the form class is built once
    per FilterSet (its fields are what the class declares), each request's form gets its own
    copy of the fields as any Django form does, and only what depends on the request is given
    to that copy: the options read from the content, the querysets given as callables. The
    form validates the input exactly as django-filter's own would."""

    q = django_filters.CharFilter(
        label=_("Rechercher"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    tri = sort_filter()

    # Filters whose options show a count; each entry: filter name → the values() path counted.
    facets: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, with a shallow copy of each filter instead of a deep copy:
        # a filter's own state is its `extra` (copied) and its bindings (set below).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: self.bound_filter(name, filter_, queryset.model)
            for name, filter_ in self.base_filters.items()
        }

    def bound_filter(self, name, declared, model):
        filter_ = copy.copy(declared)
        filter_.__dict__.pop("_field", None)
        filter_.extra = dict(declared.extra)
        filter_.model = model
        filter_.parent = self
        if declared.method is not None:
            # A method filter calls its FilterSet's method through an object bound to the
            # filter: bound again to this copy.
            filter_.method = declared.method
        choices = filter_.extra.get("choices")
        if callable(choices) and self.request is not None:
            # Options read from the content (the régions where a case is published): read
            # once per content, not at each request that filters on them.
            key = f"choices:{type(self).__name__}:{name}"
            filter_.extra["choices"] = content_choices(self.request, key, choices)
        return filter_

    @classmethod
    def shared_form_class(cls):
        """The form class, built once per FilterSet from the filters it declares."""
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            declared = copy.deepcopy(cls.base_filters)
            fields = {}
            for name, filter_ in declared.items():
                filter_.model = cls._meta.model
                if callable(getattr(filter_, "queryset", None)):
                    # Read from the request, for each request's form (see `form`).
                    filter_.queryset = filter_.extra["queryset"] = None
                fields[name] = filter_.field
                widget = fields[name].widget
                if type(widget) is forms.Select:
                    fields[name].widget = Select(attrs=widget.attrs, choices=widget.choices)
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._shared_form_class = form_class
        return form_class

    def get_form_class(self):
        return self.shared_form_class()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # What depends on the request, given to this request's copy of the fields.
            for name, filter_ in self.filters.items():
                field = form.fields[name]
                choices = filter_.extra.get("choices")
                if callable(choices):
                    field.choices = choices
                if callable(getattr(filter_, "queryset", None)):
                    field.queryset = filter_.get_queryset(self.request)
        return self._form

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
            # The list's pages are ranked in the index (see FacetedListView.paginate_queryset).
            self.ranked_by = self.compiled_query(query)
            return queryset.by_relevance(self.ranked_by)
        return queryset.order_by(*self.default_ordering, "pk")

    title_field = "title"
    default_ordering = ("title",)
    extra_orderings: dict[str, tuple[str, ...]] = {}

    ranked_by = None

    def without_search(self):
        """The records the other filters keep, unsearched (what the index ranks against)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in {"q", "tri"} and value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

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
            grouped = queryset.order_by().values(path)
            rows = grouped.annotate(
                n=Count("pk", distinct=multiplies_rows(grouped.query))
            ).values_list(path, "n")
            counts[facet] = {value: n for value, n in rows if value not in (None, "")}
        return counts


def multiplies_rows(query):
    """Whether a join of the query may give a record several rows (a reverse foreign key, a
    many-to-many): then only COUNT(DISTINCT) counts records, which costs half as much again as
    COUNT(*) over the 10,000 rows of a list (a facet's count after each change)."""
    return any(
        field.one_to_many or field.many_to_many
        for join in query.alias_map.values()
        if (field := getattr(join, "join_field", None)) is not None
    )


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


class PartNotKept(LookupError):
    """A page asks for a part (`{% kept_part %}`) that its kept parts lack."""


class KeptPartsMixin:
    """A view whose pages keep the parts that show only the content — the `{% kept_part "name" %}`
    of their templates — in the cache under `kept_parts_key()`: the next request under the same
    key renders the page around them (`around_kept_parts()`) and reads nothing of what they show.

    The key reads the content versions, before any content is read: parts rendered from records
    read before an editor's save are kept under the versions before it, never under the new
    ones."""

    # The parts read from the cache (a repeat request), and those rendered to be kept.
    kept_parts = None
    new_parts = None

    def kept_parts_key(self, request):
        """The key of the request's parts, or None: neither read nor kept."""
        raise NotImplementedError

    def around_kept_parts(self, request, *args, **kwargs):
        """The page around its kept parts, a TemplateResponse."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        key = self.kept_parts_key(request)
        self.kept_parts = cache.get(key) if key else None
        if self.kept_parts is not None:
            try:
                # Rendered here, not by the handler, so that a part missing from the kept ones
                # (the full page after its htmx fragment; parts kept by a release whose
                # templates showed others) is rendered anew instead of failing the page.
                return self.around_kept_parts(request, *args, **kwargs).render()
            except PartNotKept:
                self.kept_parts = None
        response = super().get(request, *args, **kwargs)
        if key is not None:
            self.new_parts = {}
            response.add_post_render_callback(lambda response: self.keep_parts(key, self.new_parts))
        return response

    def keep_parts(self, key, parts):
        cache.set(key, parts, settings.LIST_STATS_SECONDS)


class KeptListMixin(KeptPartsMixin):
    """A list's body — what htmx swaps in: filters, counts, cards, pagination; the
    `{% kept_part "list" %}` of its template — kept under the versions of the models the list
    shows (`shows`), the address and its query string as given: it depends on nothing else
    (nothing of the visitor's; lists show published records only). The next request for the
    same list, page and filters renders the page around it and reads no record.

    Kept only when every parameter is one the list understands (`cache_params`): junk
    parameters, which the body's links carry along, would fill the cache with copies. Neither
    kept nor read for a visitor with a session (staff, editors): what they see is never shared,
    and the session is not opened to find out who they are (reading it would make the answer
    vary on the cookie, and the page cache keep it no more)."""

    def kept_parts_key(self, request):
        params = list(request.GET.lists())
        understood = getattr(self, "cache_params", frozenset())
        if (
            # The page cache keeps the whole page under the same versions and parameters: the
            # body kept beside it would only double what a list costs the cache.
            settings.PAGE_CACHE_SECONDS
            or request.GET.get("format") == "csv"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or any(name not in understood for name, _values in params)
        ):
            return None
        return content_key(
            request,
            "list-body",
            type(self).__qualname__,
            request.path,
            params,
            get_language(),
            models=shown_models(self, request),
        )

    def around_kept_parts(self, request, *args, **kwargs):
        # Nothing of the list is read: the template shows the kept body.
        self.object_list = None
        return self.render_to_response(self.kept_list_context())

    def kept_list_context(self):
        """What the page shows around a kept body."""
        return ContextMixin.get_context_data(self)


class KnownCountPaginator(Paginator):
    """A paginator told its count, when the count is already known."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count


class FacetedListView(KeptListMixin, ElidedPagesMixin, CsvExportMixin, FilterView):
    """A FilterView that shows facet counts, answers an out-of-range page with
    the last page, and serves
    its rows as CSV (`csv_table`).

    The result count and the facet counts depend only on the filters and on the content: they
    are kept in the cache under the versions of the models the list shows (`shows`), so paging
    and sorting a list, or coming back to it, does not count again; and the rendered body of
    each page of results as well (`KeptListMixin`).
    """

    paginate_by = 20
    strict = True
    template_name = "list.html"
    # htmx requests replace the filters and the results together, so the counts stay right.
    results_template_name = "includes/list_body.html"
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
        return content_key(
            self.request,
            kind,
            type(self).__qualname__,
            applied,
            models=shown_models(self, self.request),
        )

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

    def filter_form_html(self, filterset, counts):
        """The filter form, rendered once per content and filters: with hundreds of options,
        rendering it costs more than the rest of the page. Its options (counts, French order,
        options without results left out) are prepared only when it is rendered."""

        def render():
            present_facets(filterset, counts)
            # Crispy's escaped rendering: it stays a SafeString through the cache's pickling.
            return as_crispy_form(filterset.form)

        if filterset.is_bound and not filterset.is_valid():
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

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # One address, two bodies (the page, or the fragment htmx swaps in): a browser that
        # keeps both apart never shows the fragment alone when the visitor presses Back.
        patch_vary_headers(response, ["HX-Request"])
        return response

    def paginate_queryset(self, queryset, page_size):
        """A page number past the end shows the last page, and one that is not a number the
        first: a shared link to page 9 of a list that has shrunk still shows results."""
        if getattr(self.filterset, "ranked_by", None) is not None:
            records = self.filterset.without_search()
            queryset = RankedRecords(records, queryset, self.filterset.ranked_by)
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
        if isinstance(page.object_list, QuerySet):
            # The page's cards mostly come from the cache: the records of the others are read
            # for them (core.cache.card_records).
            page.object_list = (
                page.object_list.select_related(None)
                .prefetch_related(None)
                .only(*stamp_fields(page.object_list.model))
            )
        return (paginator, page, page.object_list, page.has_other_pages())

    def kept_list_context(self):
        return {**super().kept_list_context(), **self.page_context()}

    def page_context(self):
        """What the page shows around its body."""
        return {
            "page_title": self.page_title,
            "page_intro": self.page_intro,
            "list_model": self.filterset_class._meta.model,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context())
        filterset = context["filter"]
        counts = self.stats["facets"] if hasattr(self, "stats") else self.list_stats()["facets"]
        valid = not filterset.is_bound or filterset.is_valid()
        context["active_filters"] = active_filters(filterset, self.request) if valid else []
        context["facet_counts"] = counts
        context["filter_form"] = self.filter_form_html(filterset, counts)
        context["card_template"] = self.card_template
        context["is_filtered"] = any(
            value
            for key, value in self.request.GET.items()
            if key in self.cache_params and key != "page"
        )
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        return context


def active_filters(filterset, request):
    """The filters in use, each with the address of the same list without it (the chips)."""
    chips = []
    if not filterset.is_bound:
        return chips
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "") or name == "tri":
            continue
        field = filterset.form.fields[name]
        shown = str(value)
        declared = filterset.filters[name].extra.get("choices")
        # Choices read from the data are their own labels: no query to look them up again.
        if declared is not None and not callable(declared):
            shown = str(dict(list(field.choices)).get(value, value))
        rest = request.GET.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        rest.pop("format", None)
        query = rest.urlencode()
        chips.append(
            {
                "name": name,
                "label": field.label,
                "value": shown,
                "url": f"{request.path}?{query}" if query else request.path,
            }
        )
    return chips


def french_order(label):
    """« Évaluation » sorts after « Emploi », as in a French dictionary, not after « Z »."""
    label = str(label)
    return (_folded_label(label), label)


@lru_cache(maxsize=10_000)
def _folded_label(label):
    # The same few hundred labels (practices, départements…) sorted at each form rendered.
    return fold(label)


def present_facets(filterset, counts):
    """Each faceted option shows its count « (n) »; options with no result are left out (unless
    chosen), and options that come from the data are sorted in French order."""
    form = filterset.form
    for name, by_value in counts.items():
        field = form.fields.get(name)
        if field is None:
            continue
        chosen = str(form.data.get(name, "")) if filterset.is_bound else ""
        if hasattr(field, "queryset"):
            to_field = getattr(field, "to_field_name", None) or "pk"
            options = [(str(getattr(obj, to_field)), str(obj)) for obj in field.queryset]
            options.sort(key=lambda option: french_order(option[1]))
            empty = [("", field.empty_label)] if field.empty_label is not None else []
        elif callable(filterset.filters[name].extra.get("choices")):
            # Choices read from the data are their own labels, and the counts already hold every
            # value that has a result: no query to read them again.
            values = set(by_value) | ({chosen} if chosen else set())
            options = sorted(((value, value) for value in values), key=lambda o: french_order(o[1]))
            empty = [("", field.empty_label)] if field.empty_label is not None else []
        else:
            choices = list(field.choices)
            options = [(str(value), label) for value, label in choices if value != ""]
            empty = [(value, label) for value, label in choices if value == ""]
        if len(options) > SEARCHABLE_OPTIONS:
            # static/js/transfo.js adds a box that narrows the options as one types.
            field.widget.attrs["data-searchable"] = _("Chercher dans la liste « %(label)s »") % {
                "label": field.label
            }
        # The widget alone is given the options: the form has already validated the input.
        field.widget.choices = empty + [
            (value, f"{label} ({by_value.get(value, 0)})")
            for value, label in options
            if by_value.get(value, 0) or value == chosen
        ]


class PublishedDetailView(KeptPartsMixin, DetailView):
    """A record's page: visible records for everyone, drafts too for staff (a preview).

    What the page shows of the record and of what it links to (the `{% kept_part %}`s of
    base.html and detail.html: title, description, meta, breadcrumbs, body) is kept in the cache
    under the content versions: the next visit of the public reads neither the record nor its
    links — the versions say the record is still there and visible as it was kept — and staff
    read the record alone (for the notice of a preview). A subclass adds what its body needs to
    `body_context()`, which runs only when the parts are rendered."""

    # No query parameter changes a record's page.
    cache_params = frozenset()

    def kept_parts_key(self, request):
        return content_key(
            request,
            "record-parts",
            self.model._meta.label_lower,
            # The citation gives the page's address and the day it is read.
            request.scheme,
            request.get_host(),
            request.path,
            localdate(),
            get_language(),
            request.user.is_staff,
        )

    def around_kept_parts(self, request, *args, **kwargs):
        if request.user.is_staff:
            # The record is read for the notice of a preview (not the mixin's get: the parts
            # are kept).
            return DetailView.get(self, request, *args, **kwargs)
        self.object = None
        return self.render_to_response(self.get_context_data())

    def public_records(self):
        return self.model.objects.visible()

    def records(self):
        return self.model.objects.all() if self.request.user.is_staff else self.public_records()

    def get_queryset(self):
        return self.records() if self.kept_parts is not None else self.records().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Staff see what the public does not: say so, whether the record itself is a draft or a
        # record it is reached through is (its source, a piste's orientation).
        context["hidden_from_public"] = (
            self.request.user.is_staff
            and not self.public_records().filter(pk=self.object.pk).exists()
        )
        if self.kept_parts is None:
            context.update(self.body_context())
        return context

    def body_context(self):
        """What the body shows beside the record (lists of related records)."""
        return {}
