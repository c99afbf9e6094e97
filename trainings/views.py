from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStudy
from core.listing import FacetedListView, PublishedDetailView

from .filters import TrainingFilterSet
from .models import Training, TrainingPractice
from .opendata import TRAININGS

CASES_SHOWN = 12


class TrainingListView(FacetedListView):
    filterset_class = TrainingFilterSet
    csv_table = TRAININGS
    card_template = "includes/cards/training.html"
    page_title = _("Formations")
    page_intro = _(
        "Des exemples de formations proposées par le CNFPT en 2021-2022, reliées aux pratiques qu'elles enseignent."
    )

    def get_queryset(self):
        return Training.objects.published().for_list()


class TrainingDetailView(PublishedDetailView):
    model = Training
    template_name = "trainings/training_detail.html"

    def get_base_queryset(self):
        return Training.objects.select_related("source").prefetch_related(
            "themes",
            Prefetch(
                "practice_links",
                queryset=TrainingPractice.objects.filter(practice__status="published")
                .select_related("practice")
                .order_by("practice__title"),
                to_attr="published_links",
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice_ids = [link.practice_id for link in self.object.published_links]
        context["cases"] = (
            CaseStudy.objects.published()
            .filter(practices__in=practice_ids)
            .distinct()
            .select_related("territory")
            .order_by("title")[:CASES_SHOWN]
        )
        return context
