from django.utils.translation import gettext_lazy as _

from core.listing import FacetedListView, PublishedDetailView
from core.models import related_visible
from practices.models import Practice

from .filters import TrainingFilterSet
from .models import Training
from .opendata import TRAININGS

CASES_SHOWN = 12


class TrainingListView(FacetedListView):
    filterset_class = TrainingFilterSet
    csv_table = TRAININGS
    shows = {
        "trainings.training",
        "trainings.trainingpractice",
        "practices.practice",
        "practices.source",
        "practices.theme",
    }
    card_template = "includes/cards/training.html"
    page_title = _("Formations")
    page_intro = _(
        "Des exemples de formations proposées par le CNFPT en 2021-2022, reliées aux pratiques qu'elles enseignent."
    )

    def get_queryset(self):
        return Training.objects.visible().for_list()


class TrainingDetailView(PublishedDetailView):
    model = Training
    template_name = "trainings/training_detail.html"

    def body_context(self):
        practices = [practice.pk for practice in self.object.published_practices]
        # The cases that show at work what the training teaches.
        return {
            "cases": (
                related_visible(Practice, "cases")
                .sharing_practices(practices)
                .select_related("territory")
                .order_by("title")[:CASES_SHOWN]
            )
        }
