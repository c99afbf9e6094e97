from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

# The practice, piste and source pages show what points at them: cases and trainings.
from cases.models import CaseStudy
from core.listing import FacetedListView, PublishedDetailView
from trainings.models import Training

from .filters import OrientationFilterSet, PisteFilterSet, PracticeFilterSet
from .models import Orientation, Piste, Practice, Source, Status
from .opendata import ORIENTATIONS, PISTES, PRACTICES

CASES_SHOWN = 12


def published_count(model, field):
    """The number of published `model` rows whose `field` holds the outer practice."""
    rows = (
        model.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


SHOWN_PER_KIND = 30


class PracticeListView(FacetedListView):
    filterset_class = PracticeFilterSet
    csv_table = PRACTICES
    card_template = "includes/cards/practice.html"
    page_title = _("Pratiques")
    page_intro = _(
        "Les manières de faire que les collectivités mobilisent pour transformer l'action publique, classées selon les axes et fonctions de l'étude CNFPT 2022."
    )

    def get_queryset(self):
        # Each card says « 6 cas · 1 formation »: counted in subqueries, not one query per card.
        return (
            Practice.objects.published()
            .for_list()
            .annotate(
                case_count=published_count(CaseStudy, "practices"),
                training_count=published_count(Training, "practices"),
            )
        )


class PracticeDetailView(PublishedDetailView):
    model = Practice
    template_name = "practices/practice_detail.html"

    def get_base_queryset(self):
        published_cases = Q(cases__status=Status.PUBLISHED)
        return (
            Practice.objects.select_related("source")
            .annotate(case_count=Count("cases", filter=published_cases, distinct=True))
            .prefetch_related(
                "themes",
                Prefetch(
                    "cases",
                    queryset=CaseStudy.objects.published()
                    .for_list()
                    .order_by("title", "pk")[:CASES_SHOWN],
                    to_attr="published_cases",
                ),
                Prefetch(
                    "trainings",
                    queryset=Training.objects.published().for_list(),
                    to_attr="published_trainings",
                ),
                Prefetch(
                    "pistes",
                    queryset=Piste.objects.published().select_related("orientation"),
                    to_attr="published_pistes",
                ),
            )
        )


class OrientationListView(FacetedListView):
    filterset_class = OrientationFilterSet
    csv_table = ORIENTATIONS
    card_template = "includes/cards/orientation.html"
    page_title = _("Orientations")
    page_intro = _(
        "Les orientations, préconisations et groupes de recommandations que proposent les rapports, avec leurs pistes."
    )

    def get_queryset(self):
        return (
            Orientation.objects.published()
            .select_related("source")
            .prefetch_related(
                Prefetch("pistes", queryset=Piste.objects.published(), to_attr="published_pistes")
            )
        )


class OrientationDetailView(PublishedDetailView):
    model = Orientation
    template_name = "practices/orientation_detail.html"

    def get_base_queryset(self):
        return Orientation.objects.select_related("source").prefetch_related(
            Prefetch(
                "pistes",
                queryset=Piste.objects.published().prefetch_related("tags"),
                to_attr="published_pistes",
            )
        )


class PisteListView(FacetedListView):
    filterset_class = PisteFilterSet
    csv_table = PISTES
    card_template = "includes/cards/piste.html"
    page_title = _("Pistes")
    page_intro = _(
        "Les propositions concrètes des rapports, chacune rattachée à son orientation et à ses inspirations."
    )

    def get_queryset(self):
        return Piste.objects.published().filter(orientation__status="published").for_list()


class PisteDetailView(PublishedDetailView):
    model = Piste
    template_name = "practices/piste_detail.html"

    def get_base_queryset(self):
        return Piste.objects.select_related("source", "orientation").prefetch_related(
            "tags",
            "themes",
            Prefetch(
                "practices", queryset=Practice.objects.published(), to_attr="published_practices"
            ),
            Prefetch(
                "inspirations",
                queryset=CaseStudy.objects.published().for_list(),
                to_attr="published_inspirations",
            ),
        )


class SourceListView(ListView):
    template_name = "practices/source_list.html"

    def get_queryset(self):
        return Source.objects.published()


class SourceDetailView(PublishedDetailView):
    model = Source
    template_name = "practices/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        # At most a page of each kind; the lists filtered by this source hold the rest.
        cases = CaseStudy.objects.published().from_source(source)
        context["case_count"] = cases.count()
        context["cases"] = cases.order_by("title")[:SHOWN_PER_KIND]
        practices = Practice.objects.published().from_source(source)
        context["practice_count"] = practices.count()
        context["practices"] = practices.order_by("title")[:SHOWN_PER_KIND]
        context["orientations"] = (
            Orientation.objects.published()
            .from_source(source)
            .prefetch_related(
                Prefetch("pistes", queryset=Piste.objects.published(), to_attr="published_pistes")
            )
        )
        trainings = Training.objects.published().from_source(source)
        context["training_count"] = trainings.count()
        context["trainings"] = trainings.order_by("title")[:SHOWN_PER_KIND]
        return context
