from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.listing import ElidedPagesMixin, FacetedListView, PublishedDetailView
from core.models import related_visible
from practices.models import Practice

from .filters import CaseStudyFilterSet
from .models import CaseStudy, Territory
from .opendata import CASES

RELATED_CASES_SHOWN = 6
TRAININGS_SHOWN = 10


class CaseStudyListView(FacetedListView):
    filterset_class = CaseStudyFilterSet
    csv_table = CASES
    shows = {
        "cases.casestudy",
        "cases.casepractice",
        "cases.territory",
        "practices.practice",
        "practices.source",
        "practices.theme",
    }
    card_template = "includes/cards/casestudy.html"
    page_title = _("Cas")
    page_intro = _(
        "Des collectivités et organisations qui ont mis ces pratiques en œuvre : focus, références inspirantes, cas étudiés, projets collectifs de l'INET."
    )

    def get_queryset(self):
        return CaseStudy.objects.visible().for_list()


class CaseStudyDetailView(PublishedDetailView):
    model = CaseStudy
    template_name = "cases/casestudy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        practices = [practice.pk for practice in case.published_practices]
        # The case page leads on to the trainings that teach its practices.
        training_links = Practice._meta.get_field("training_links").related_model.objects
        context["trainings"] = (
            related_visible(Practice, "trainings")
            .filter(pk__in=training_links.filter(practice__in=practices).values("training"))
            .order_by("title")[:TRAININGS_SHOWN]
        )
        context["related_cases"] = (
            CaseStudy.objects.visible()
            .sharing_practices(practices)
            .exclude(pk=case.pk)
            .select_related("territory")
            .order_by("title")[:RELATED_CASES_SHOWN]
        )
        return context


class TerritoryListView(ElidedPagesMixin, ListView):
    template_name = "cases/territory_list.html"
    paginate_by = 50
    cache_params = frozenset({"page"})

    def get_queryset(self):
        return Territory.objects.with_published_cases().order_by("name")


class TerritoryDetailView(PublishedDetailView):
    model = Territory
    template_name = "cases/territory_detail.html"

    def public_records(self):
        # A territory is not a publishable record: the public reaches it through its cases.
        return Territory.objects.with_published_cases()

    def get_queryset(self):
        return self.public_records().for_detail()
