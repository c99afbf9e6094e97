from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.cache import content_cached
from core.listing import FacetedListView, PublishedDetailView
from core.models import related_visible

from .filters import FindingFilterSet, OrientationFilterSet, PisteFilterSet, PracticeFilterSet
from .models import Finding, Orientation, Piste, Practice, Source
from .opendata import FINDINGS, ORIENTATIONS, PISTES, PRACTICES

SHOWN_PER_KIND = 30


class PracticeListView(FacetedListView):
    filterset_class = PracticeFilterSet
    csv_table = PRACTICES
    # Its cards count the cases and trainings linked to each practice.
    shows = {
        "practices.practice",
        "practices.source",
        "practices.theme",
        "cases.casestudy",
        "cases.casepractice",
        "trainings.training",
        "trainings.trainingpractice",
    }
    card_template = "includes/cards/practice.html"
    page_title = _("Pratiques")
    page_intro = _(
        "Les manières de faire que les collectivités mobilisent pour transformer l'action publique, classées selon les axes et fonctions de l'étude CNFPT 2022."
    )

    def get_queryset(self):
        return Practice.objects.visible().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counted for every practice once per content: a page's subqueries would count, at each
        # visit, every case of its 20 practices.
        counts = content_cached(self.request, "practice-link-counts", Practice.objects.link_counts)
        for practice in context["object_list"]:
            practice.case_count, practice.training_count = counts.get(practice.pk, (0, 0))
        return context


class PracticeDetailView(PublishedDetailView):
    model = Practice
    template_name = "practices/practice_detail.html"


class OrientationListView(FacetedListView):
    filterset_class = OrientationFilterSet
    csv_table = ORIENTATIONS
    shows = {"practices.orientation", "practices.piste", "practices.source"}
    card_template = "includes/cards/orientation.html"
    page_title = _("Orientations")
    page_intro = _(
        "Les orientations, préconisations et groupes de recommandations que proposent les rapports, avec leurs pistes."
    )

    def get_queryset(self):
        return Orientation.objects.visible().for_list()


class OrientationDetailView(PublishedDetailView):
    model = Orientation
    template_name = "practices/orientation_detail.html"


class PisteListView(FacetedListView):
    filterset_class = PisteFilterSet
    csv_table = PISTES
    shows = {"practices.piste", "practices.orientation", "practices.tag", "practices.source"}
    card_template = "includes/cards/piste.html"
    page_title = _("Pistes")
    page_intro = _(
        "Les propositions concrètes des rapports, chacune rattachée à son orientation et à ses inspirations."
    )

    def get_queryset(self):
        return Piste.objects.visible().for_list()


class PisteDetailView(PublishedDetailView):
    model = Piste
    template_name = "practices/piste_detail.html"


class FindingListView(FacetedListView):
    filterset_class = FindingFilterSet
    csv_table = FINDINGS
    shows = {"practices.finding", "practices.source"}
    card_template = "includes/cards/finding.html"
    page_title = _("Repères")
    page_intro = _(
        "Ce que les rapports établissent à côté de leurs propositions : les controverses et les terrains d'enquête de Réflexes Publics, les finalités de formation et les conditions d'apprentissage de l'étude CNFPT 2022."
    )

    def get_queryset(self):
        return Finding.objects.visible().for_list()


class FindingDetailView(PublishedDetailView):
    model = Finding
    template_name = "practices/finding_detail.html"


class SourceListView(ListView):
    template_name = "practices/source_list.html"
    cache_params = frozenset()

    def get_queryset(self):
        return Source.objects.visible()


class SourceDetailView(PublishedDetailView):
    model = Source
    template_name = "practices/source_detail.html"

    def body_context(self):
        context = {}
        source = self.object
        # At most a page of each kind; the lists filtered by this source hold the rest.
        kinds = [
            ("cases", "casestudy"),
            ("practices", "practice"),
            ("trainings", "training"),
            ("findings", "finding"),
        ]

        orientations = Orientation.objects.visible().from_source(source)

        def counts():
            return {
                **{
                    f"{name[:-1]}_count": related_visible(Source, relation)
                    .from_source(source)
                    .count()
                    for name, relation in kinds
                },
                "orientation_count": orientations.count(),
            }

        # Counting thousands of cases costs more than the rest of the page: once per content.
        context.update(content_cached(self.request, f"source-counts-{source.pk}", counts))
        for name, relation in kinds:
            records = related_visible(Source, relation).from_source(source)
            context[name] = records.order_by("title")[:SHOWN_PER_KIND]
        context["orientations"] = orientations.for_list()[:SHOWN_PER_KIND]
        return context
