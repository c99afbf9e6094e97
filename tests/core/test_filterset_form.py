"""A list's filter form is built once per FilterSet class; each request's form is its own, with
what depends on the request, and validates exactly as django-filter's would."""

from datetime import UTC, date, datetime
from decimal import Decimal

import django_filters
import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.filters import CaseStudyFilterSet
from cases.models import CaseStudy
from core.listing import SearchSortFilterSet, present_facets
from practices.models import Theme
from tests.factories import PublishedCaseStudyFactory, TerritoryFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def filterset(params, filterset_class=CaseStudyFilterSet):
    request = RequestFactory().get("/cas/", params)
    return filterset_class(request.GET, CaseStudy.objects.visible(), request=request)


def test_the_form_class_is_built_once_per_filterset():
    assert type(filterset({}).form) is type(filterset({"type": "focus"}).form)


def test_each_request_gets_its_own_fields():
    """The options one page shows, with its counts, are never another page's."""
    first, second = filterset({}), filterset({})
    present_facets(first, {"type": {"focus": 3}})
    assert first.form.fields["type"] is not second.form.fields["type"]
    assert "Focus (3)" in dict(first.form.fields["type"].widget.choices).values()
    assert "Focus (3)" not in dict(second.form.fields["type"].widget.choices).values()


def test_options_read_from_the_content_are_those_of_the_request_s_content():
    PublishedCaseStudyFactory(territory=TerritoryFactory(region="Bretagne"))
    assert filterset({"region": "Bretagne"}).is_valid()
    assert not filterset({"region": "Occitanie"}).is_valid()
    PublishedCaseStudyFactory(territory=TerritoryFactory(region="Occitanie"))
    assert filterset({"region": "Occitanie"}).is_valid()


def test_bad_input_is_refused_as_strictly_as_before():
    ThemeFactory(slug="budget")
    found = filterset({"annee": "deux mille", "type": "inconnu", "theme": "nulle-part"})
    assert not found.is_valid()
    assert set(found.errors) == {"annee", "type", "theme"}
    valid = filterset({"annee": "2020", "type": "focus", "theme": "budget", "tri": "titre"})
    assert valid.is_valid()
    assert valid.form.cleaned_data["theme"] == Theme.objects.get(slug="budget")


def test_a_queryset_given_as_a_callable_is_read_for_each_request():
    asked = []

    def themes(request):
        asked.append(request)
        return Theme.objects.filter(slug=request.GET.get("seul", ""))

    class ThemeFilterSet(SearchSortFilterSet):
        theme = django_filters.ModelChoiceFilter(queryset=themes, to_field_name="slug")

        class Meta:
            model = CaseStudy
            fields = []

    ThemeFactory(slug="budget")
    ThemeFactory(slug="climat")
    chosen = filterset({"seul": "budget", "theme": "budget"}, ThemeFilterSet)
    assert chosen.is_valid()
    assert asked[-1] is chosen.request
    assert not filterset({"seul": "climat", "theme": "budget"}, ThemeFilterSet).is_valid()


def test_a_filter_select_writes_what_django_s_own_select_writes():
    """The filters' select writes its options without a template each: the same HTML, chosen
    option, groups and escaping included."""
    from django import forms

    from core.listing import Select

    choices = [
        ("", "Toutes"),
        ("a&b", "Pessac <Gironde> (3)"),
        ("Régions", [("bretagne", "Bretagne (2)"), ("corse", "Corse « île » (1)")]),
        (7, "Sept"),
    ]
    attrs = {"class": "form-select", "data-searchable": "Chercher « x »", "id": "id_f"}
    for value in ("", "a&b", "corse", "7", None):
        ours = Select(attrs=attrs, choices=choices).render("f", value)
        django_s = forms.Select(attrs=attrs, choices=choices).render("f", value)
        assert ours == django_s


def test_the_list_s_filter_form_keeps_the_select_s_css_class():
    """crispy-forms names the element's CSS class after the widget's class."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    html = as_crispy_form(filterset({"type": "focus"}).form)

    assert '<select name="type" class="select form-select" id="id_type">' in html
    assert '<option value="focus" selected>Focus</option>' in html


class Marked:
    """An object that says it is HTML without being a string: a template writes its str()."""

    def __html__(self):
        return "<b>brut</b>"

    def __str__(self):
        return "<i>texte</i>"


@pytest.mark.parametrize(
    "choices, value",
    [
        # Numbers and dates as labels are written in French, as a template writes them.
        ([(1, 2.5), (2, Decimal("1.5")), (3, 1000000)], 1),
        ([(date(2024, 1, 2), date(2024, 1, 2))], None),
        ([(1, datetime(2024, 1, 2, 23, 30, tzinfo=UTC))], 1),
        ([(2.5, [(1, "un")]), ("Groupe", [(2, "deux")])], 2),
        ([(Marked(), Marked())], None),
        ([("", "---"), (True, "Oui"), (False, "Non"), (None, _("Aucun"))], True),
    ],
)
def test_a_filter_select_writes_any_option_as_django_s_own_select(choices, value):
    from django import forms

    from core.listing import Select

    attrs = {"data-on": True, "data-off": False, "data-zero": 0, "data-x": Marked()}
    with translation.override("fr"):
        ours = Select(attrs=attrs, choices=choices).render("f", value)
        django_s = forms.Select(attrs=attrs, choices=choices).render("f", value)
    assert ours == django_s


def test_options_that_inherit_the_select_s_attributes_write_them_as_django_does():
    from django import forms

    from core.listing import Select

    class Ours(Select):
        option_inherits_attrs = True

    class DjangoS(forms.Select):
        option_inherits_attrs = True

    attrs = {"id": "id_f", "data-on": True, "data-off": False, "data-x": Marked(), "data-n": 2.5}
    choices = [("a", "A"), ("b", "B")]
    assert Ours(attrs=attrs, choices=choices).render("f", "b") == DjangoS(
        attrs=attrs, choices=choices
    ).render("f", "b")


def test_only_plain_selects_are_written_by_the_list_s_select():
    """A multiple select, radio buttons, « Oui / Non / Inconnu » and dates keep Django's."""
    from django import forms

    from core.listing import Select

    class Mixed(SearchSortFilterSet):
        plusieurs = django_filters.MultipleChoiceFilter(choices=[("a", "A")])
        radio = django_filters.ChoiceFilter(choices=[("a", "A")], widget=forms.RadioSelect)
        publie = django_filters.BooleanFilter()
        depuis = django_filters.DateFilter()
        simple = django_filters.ChoiceFilter(choices=[("a", "A")])

        class Meta:
            model = CaseStudy
            fields = []

    widgets = {
        name: type(field.widget) for name, field in Mixed.shared_form_class().base_fields.items()
    }

    assert widgets["plusieurs"] is forms.SelectMultiple
    assert widgets["radio"] is forms.RadioSelect
    assert widgets["publie"] is forms.NullBooleanSelect
    assert widgets["depuis"] is forms.DateInput
    assert widgets["simple"] is Select


scalars = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", "&", "<b>", '"q"', "l'é", "Toutes"]),
    st.integers(-5, 10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, None])),
    st.none(),
    st.booleans(),
    st.builds(lambda: _("Toutes")),
)
options = st.lists(st.tuples(scalars, scalars), max_size=4)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    choices=st.lists(
        st.one_of(st.tuples(scalars, scalars), st.tuples(scalars, options)), max_size=5
    ),
    chosen=st.one_of(scalars, st.lists(scalars, max_size=2)),
    attrs=st.dictionaries(
        st.sampled_from(["class", "data-x", "aria-label", "id"]), st.one_of(scalars), max_size=3
    ),
)
def test_the_filter_select_writes_what_django_s_select_writes_whatever_the_input(
    choices, chosen, attrs
):
    from django import forms

    from core.listing import Select

    with translation.override("fr"):
        ours = Select(attrs=attrs, choices=choices).render("f", chosen)
        django_s = forms.Select(attrs=attrs, choices=choices).render("f", chosen)
    assert ours == django_s
