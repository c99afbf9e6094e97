from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.listing import FacetedListView, PublishedDetailView
from practices.models import Piste, Practice

# The case page leads on to the trainings that teach its practices.
from trainings.models import Training

from .filters import CaseStudyFilterSet
from .models import CaseStudy, Territory
from .opendata import CASES

RELATED_CASES_SHOWN = 6
TRAININGS_SHOWN = 10


class CaseStudyListView(FacetedListView):
    filterset_class = CaseStudyFilterSet
    csv_table = CASES
    card_template = "includes/cards/casestudy.html"
    page_title = _("Cas")
    page_intro = _(
        "Des collectivités et organisations qui ont mis ces pratiques en œuvre : focus, références inspirantes, cas étudiés, projets collectifs de l'INET."
    )

    def get_queryset(self):
        return CaseStudy.objects.published().for_list()


class CaseStudyDetailView(PublishedDetailView):
    model = CaseStudy
    template_name = "cases/casestudy_detail.html"

    def get_base_queryset(self):
        return CaseStudy.objects.select_related("territory", "source").prefetch_related(
            "themes",
            Prefetch(
                "practices", queryset=Practice.objects.published(), to_attr="published_practices"
            ),
            Prefetch(
                "pistes",
                queryset=Piste.objects.published().select_related("orientation"),
                to_attr="published_pistes",
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        practice_ids = [practice.pk for practice in case.published_practices]
        context["trainings"] = (
            Training.objects.published()
            .filter(practices__in=practice_ids)
            .distinct()
            .order_by("title")[:TRAININGS_SHOWN]
        )
        context["related_cases"] = (
            CaseStudy.objects.published()
            .filter(practices__in=practice_ids)
            .exclude(pk=case.pk)
            .distinct()
            .select_related("territory")
            .order_by("title")[:RELATED_CASES_SHOWN]
        )
        return context


class TerritoryListView(ListView):
    template_name = "cases/territory_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Territory.objects.filter(cases__status="published").distinct().order_by("name")


class TerritoryDetailView(PublishedDetailView):
    model = Territory
    template_name = "cases/territory_detail.html"

    def get_queryset(self):
        # A territory is not a publishable record; its page lists only published cases.
        return Territory.objects.prefetch_related(
            Prefetch(
                "cases",
                queryset=CaseStudy.objects.published().for_list(),
                to_attr="published_cases",
            )
        )
