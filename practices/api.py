"""API routes of the reports, themes, practices, orientations, pistes and findings."""

from urllib.parse import urlencode

from django.urls import reverse
from ninja import Field, ModelSchema, Query, Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, Record, Ref, absolute, detail, filter_schema, filtered, kept_pages

from .filters import FindingFilterSet, OrientationFilterSet, PisteFilterSet, PracticeFilterSet
from .models import CASES_SHOWN, Finding, Orientation, Piste, Practice, Source, Theme

router = Router()

PROVENANCE = ["pages", "section", "editor_note"]


class SourceRef(ModelSchema):
    class Meta:
        model = Source
        fields = ["slug", "title"]


class ThemeOut(ModelSchema):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description"]


class SourceOut(Record, ModelSchema):
    class Meta:
        model = Source
        fields = [
            "slug",
            "title",
            "short_title",
            "publisher",
            "authors",
            "date_label",
            "year",
            "kind",
            "description",
        ]


class FindingRef(Ref):
    kind: str


class PracticeLinkOut(Schema):
    """A practice linked to a case or a training, with the reason of the link."""

    slug: str = Field(..., alias="practice.slug")
    title: str = Field(..., alias="practice.title")
    url: str
    reason: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj.practice)


class PracticeOut(Record, ModelSchema):
    source: SourceRef
    themes: list[ThemeOut]
    cases: list[Ref] = Field(
        ...,
        alias="published_cases",
        description=f"Les {CASES_SHOWN} premiers cas par titre ; tous : `cases_url`.",
    )
    case_count: int = Field(description="Le nombre de cas publiés de la pratique.")
    cases_url: str = Field(description="La liste paginée de tous ses cas.")
    trainings: list[Ref] = Field(..., alias="published_trainings")
    pistes: list[Ref] = Field(..., alias="published_pistes")
    findings: list[FindingRef] = Field(..., alias="published_findings")

    class Meta:
        model = Practice
        fields = [
            "slug",
            "title",
            "family",
            "summary",
            "description",
            "success_factors",
            "obstacles",
            *PROVENANCE,
        ]

    @staticmethod
    def resolve_cases_url(obj, context):
        address = reverse("api:case_list") + "?" + urlencode({"pratique": obj.slug})
        return context["request"].build_absolute_uri(address)


class PisteBrief(Ref):
    number: int


class OrientationOut(Record, ModelSchema):
    source: SourceRef
    pistes: list[PisteBrief] = Field(..., alias="published_pistes")

    class Meta:
        model = Orientation
        fields = ["slug", "title", "number", "summary", *PROVENANCE]


class OrientationRef(Ref):
    number: int


class PisteOut(Record, ModelSchema):
    source: SourceRef
    orientation: OrientationRef
    tags: list[str]
    themes: list[ThemeOut]
    practices: list[Ref] = Field(..., alias="published_practices")
    inspirations: list[Ref] = Field(..., alias="published_inspirations")
    findings: list[FindingRef] = Field(..., alias="published_findings")

    class Meta:
        model = Piste
        fields = ["slug", "title", "number", "lever", "details", "printed_tags", *PROVENANCE]

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]


class FindingOut(Record, ModelSchema):
    source: SourceRef
    themes: list[ThemeOut]
    practices: list[Ref] = Field(..., alias="published_practices")
    pistes: list[Ref] = Field(..., alias="published_pistes")
    cases: list[Ref] = Field(..., alias="published_cases")
    trainings: list[Ref] = Field(..., alias="published_trainings")

    class Meta:
        model = Finding
        fields = ["slug", "title", "kind", "code", "summary", "details", "places", *PROVENANCE]


def practices():
    return Practice.objects.visible().for_detail()


def orientations():
    # The API lists an orientation's pistes without their tags: the list loading is enough.
    return Orientation.objects.visible().for_list()


def pistes():
    return Piste.objects.visible().for_detail()


def findings():
    return Finding.objects.visible().for_detail()


@router.get("/pratiques/", response=list[PracticeOut], tags=["pratiques"], summary="Les pratiques")
@kept_pages(PracticeOut)
def practice_list(request, filters: Query[filter_schema(PracticeFilterSet)]):
    return filtered(request, PracticeFilterSet, filters, practices())


@router.get("/pratiques/{slug}/", response=PracticeOut, tags=["pratiques"], summary="Une pratique")
def practice_detail(request, slug: str):
    return detail(practices(), slug)


@router.get(
    "/orientations/",
    response=list[OrientationOut],
    tags=["orientations"],
    summary="Les orientations",
)
@kept_pages(OrientationOut)
def orientation_list(request, filters: Query[filter_schema(OrientationFilterSet)]):
    return filtered(request, OrientationFilterSet, filters, orientations())


@router.get(
    "/orientations/{slug}/",
    response=OrientationOut,
    tags=["orientations"],
    summary="Une orientation",
)
def orientation_detail(request, slug: str):
    return detail(orientations(), slug)


@router.get("/pistes/", response=list[PisteOut], tags=["pistes"], summary="Les pistes")
@kept_pages(PisteOut)
def piste_list(request, filters: Query[filter_schema(PisteFilterSet)]):
    return filtered(request, PisteFilterSet, filters, pistes())


@router.get("/pistes/{slug}/", response=PisteOut, tags=["pistes"], summary="Une piste")
def piste_detail(request, slug: str):
    return detail(pistes(), slug)


@router.get(
    "/reperes/",
    response=list[FindingOut],
    tags=["repères"],
    summary="Les repères : controverses, terrains, finalités, conditions d'apprentissage",
)
@kept_pages(FindingOut)
def finding_list(request, filters: Query[filter_schema(FindingFilterSet)]):
    return filtered(request, FindingFilterSet, filters, findings())


@router.get("/reperes/{slug}/", response=FindingOut, tags=["repères"], summary="Un repère")
def finding_detail(request, slug: str):
    return detail(findings(), slug)


@router.get("/sources/", response=list[SourceOut], tags=["sources"], summary="Les rapports sources")
@paginate(Pagination)
def source_list(request):
    return Source.objects.visible().order_by("slug")


@router.get("/sources/{slug}/", response=SourceOut, tags=["sources"], summary="Un rapport")
def source_detail(request, slug: str):
    return detail(Source.objects.visible(), slug)


@router.get("/themes/", response=list[ThemeOut], tags=["thèmes"], summary="Les thèmes")
@paginate(Pagination)
def theme_list(request):
    return Theme.objects.order_by("name", "pk")


@router.get("/themes/{slug}/", response=ThemeOut, tags=["thèmes"], summary="Un thème")
def theme_detail(request, slug: str):
    return detail(Theme.objects.all(), slug)
