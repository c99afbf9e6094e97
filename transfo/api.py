"""The read-only JSON API (/api/v1/): published records only, the site's filters and search."""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from cases.filters import CaseStudyFilterSet
from cases.models import CaseStudy, Territory
from practices.filters import OrientationFilterSet, PisteFilterSet, PracticeFilterSet
from practices.models import Orientation, Piste, Practice, Source, Theme
from trainings.filters import TrainingFilterSet
from trainings.models import Training, TrainingPractice

api = NinjaAPI(
    title="Transfo API",
    version="1",
    description=(
        "API en lecture seule du répertoire Transfo : pratiques, cas, formations, orientations, "
        "pistes, territoires, sources et thèmes publiés. Données sous Licence Ouverte / Etalab 2.0."
    ),
    urls_namespace="api",
)


PAGE_SIZE = 50


class Pagination(PageNumberPagination):
    """Pages of 50 (at most 100 on request); a page number beyond any possible offset is refused."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=100, **kwargs)


def absolute(context, obj):
    return context["request"].build_absolute_uri(obj.get_absolute_url())


# Schemas ----------------------------------------------------------------------------------------


class Ref(Schema):
    slug: str
    title: str
    url: str

    @staticmethod
    def resolve_title(obj):
        return str(obj.title)

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


class SourceRef(Schema):
    slug: str
    title: str

    @staticmethod
    def resolve_title(obj):
        return obj.title


class ThemeOut(Schema):
    slug: str
    name: str
    description: str


class Content(Schema):
    slug: str
    url: str
    title: str
    source: SourceRef
    pages: str
    section: str
    editor_note: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


class TerritoryRef(Schema):
    slug: str
    name: str
    kind: str
    departement: str
    region: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


class CaseOut(Content):
    kind: str
    territory: TerritoryRef | None
    commissioner: str
    period: str
    year_start: int | None
    year_end: int | None
    summary: str
    key_facts: str
    method: str
    actors: str
    results: str
    success_factors: str
    limits: str
    themes: list[ThemeOut]
    practices: list[Ref]
    pistes: list[Ref]

    @staticmethod
    def resolve_practices(obj):
        return obj.published_practices

    @staticmethod
    def resolve_pistes(obj):
        return obj.published_pistes


class PracticeOut(Content):
    family: str
    summary: str
    description: str
    success_factors: str
    obstacles: str
    themes: list[ThemeOut]
    cases: list[Ref]
    trainings: list[Ref]
    pistes: list[Ref]

    @staticmethod
    def resolve_cases(obj):
        return obj.published_cases

    @staticmethod
    def resolve_trainings(obj):
        return obj.published_trainings

    @staticmethod
    def resolve_pistes(obj):
        return obj.published_pistes


class TrainingPracticeOut(Schema):
    slug: str
    title: str
    url: str
    reason: str


class TrainingOut(Content):
    duration_days: Decimal | None
    duration_label: str
    format: str
    domain: str
    audience: str
    objectives: str
    themes: list[ThemeOut]
    practices: list[TrainingPracticeOut]

    @staticmethod
    def resolve_practices(obj, context):
        return [
            {
                "slug": link.practice.slug,
                "title": link.practice.title,
                "url": absolute(context, link.practice),
                "reason": link.reason,
            }
            for link in obj.published_links
        ]


class OrientationRef(Ref):
    number: int


class PisteBrief(Ref):
    number: int


class OrientationOut(Content):
    number: int
    summary: str
    pistes: list[PisteBrief]

    @staticmethod
    def resolve_pistes(obj):
        return obj.published_pistes


class PisteOut(Content):
    orientation: OrientationRef
    number: int
    lever: str
    details: str
    printed_tags: str
    tags: list[str]
    themes: list[ThemeOut]
    practices: list[Ref]
    inspirations: list[Ref]

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_practices(obj):
        return obj.published_practices

    @staticmethod
    def resolve_inspirations(obj):
        return obj.published_inspirations


class TerritoryOut(TerritoryRef):
    insee_code: str = Field(description="Code INSEE (Code officiel géographique)")
    siren: str
    official_type: str = Field(description="Type officiel (COG)")
    departement_code: str
    region_code: str
    population: int | None
    cases: list[Ref]

    @staticmethod
    def resolve_cases(obj):
        return obj.published_cases


class SourceOut(Schema):
    slug: str
    url: str
    title: str
    short_title: str
    publisher: str
    authors: str
    date_label: str
    year: int | None
    kind: str
    description: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute(context, obj)


# Filters: the site's FilterSets, declared here so that the schema documents them -----------------


class SearchFilters(Schema):
    q: str | None = None


class CaseFilters(SearchFilters):
    type: str | None = None
    type_territoire: str | None = None
    region: str | None = None
    departement: str | None = None
    theme: str | None = None
    pratique: str | None = None
    source: str | None = None
    annee: int | None = None


class PracticeFilters(SearchFilters):
    famille: str | None = None
    theme: str | None = None
    source: str | None = None


class TrainingFilters(SearchFilters):
    domaine: str | None = None
    duree_min: Decimal | None = None
    duree_max: Decimal | None = None
    modalite: str | None = None
    pratique: str | None = None


class OrientationFilters(SearchFilters):
    source: str | None = None


class PisteFilters(SearchFilters):
    orientation: str | None = None
    etiquette: str | None = None
    source: str | None = None


def filtered(filterset_class, filters, queryset):
    data = {name: str(value) for name, value in filters.dict().items() if value not in (None, "")}
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise HttpError(
            400,
            "; ".join(f"{name} : {' '.join(errors)}" for name, errors in filterset.errors.items()),
        )
    return filterset.qs


def published(model):
    return model.objects.published()


# Querysets: each endpoint's eager loading ----------------------------------------------------------


def cases():
    return (
        CaseStudy.objects.published()
        .select_related("source", "territory")
        .prefetch_related(
            "themes",
            Prefetch(
                "practices",
                queryset=published(Practice).order_by("title"),
                to_attr="published_practices",
            ),
            Prefetch(
                "pistes", queryset=published(Piste).order_by("title"), to_attr="published_pistes"
            ),
        )
    )


def practices():
    return (
        Practice.objects.published()
        .select_related("source")
        .prefetch_related(
            "themes",
            Prefetch(
                "cases", queryset=published(CaseStudy).order_by("title"), to_attr="published_cases"
            ),
            Prefetch(
                "trainings",
                queryset=published(Training).order_by("title"),
                to_attr="published_trainings",
            ),
            Prefetch(
                "pistes", queryset=published(Piste).order_by("title"), to_attr="published_pistes"
            ),
        )
    )


def trainings():
    return (
        Training.objects.published()
        .select_related("source")
        .prefetch_related(
            "themes",
            Prefetch(
                "practice_links",
                queryset=TrainingPractice.objects.filter(practice__status="published")
                .select_related("practice")
                .order_by("practice__title"),
                to_attr="published_links",
            ),
        )
    )


def orientations():
    return (
        Orientation.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "pistes", queryset=published(Piste).order_by("number"), to_attr="published_pistes"
            )
        )
    )


def pistes():
    return (
        Piste.objects.published()
        .filter(orientation__status="published")
        .select_related("source", "orientation")
        .prefetch_related(
            "tags",
            "themes",
            Prefetch(
                "practices",
                queryset=published(Practice).order_by("title"),
                to_attr="published_practices",
            ),
            Prefetch(
                "inspirations",
                queryset=published(CaseStudy).order_by("title"),
                to_attr="published_inspirations",
            ),
        )
    )


def territories():
    return (
        Territory.objects.filter(cases__status="published")
        .distinct()
        .prefetch_related(
            Prefetch(
                "cases", queryset=published(CaseStudy).order_by("title"), to_attr="published_cases"
            )
        )
    )


def detail(queryset, slug):
    try:
        return get_object_or_404(queryset, slug=slug)
    except Http404 as error:
        raise HttpError(404, "Aucune fiche publiée ne porte ce slug.") from error


# Endpoints -----------------------------------------------------------------------------------------


@api.get(
    "/cas/", response=list[CaseOut], tags=["cas"], summary="Les cas, filtrés comme sur le site"
)
@paginate(Pagination)
def case_list(request, filters: Query[CaseFilters]):
    return filtered(CaseStudyFilterSet, filters, cases())


@api.get("/cas/{slug}/", response=CaseOut, tags=["cas"], summary="Un cas")
def case_detail(request, slug: str):
    return detail(cases(), slug)


@api.get("/pratiques/", response=list[PracticeOut], tags=["pratiques"], summary="Les pratiques")
@paginate(Pagination)
def practice_list(request, filters: Query[PracticeFilters]):
    return filtered(PracticeFilterSet, filters, practices())


@api.get("/pratiques/{slug}/", response=PracticeOut, tags=["pratiques"], summary="Une pratique")
def practice_detail(request, slug: str):
    return detail(practices(), slug)


@api.get("/formations/", response=list[TrainingOut], tags=["formations"], summary="Les formations")
@paginate(Pagination)
def training_list(request, filters: Query[TrainingFilters]):
    return filtered(TrainingFilterSet, filters, trainings())


@api.get("/formations/{slug}/", response=TrainingOut, tags=["formations"], summary="Une formation")
def training_detail(request, slug: str):
    return detail(trainings(), slug)


@api.get(
    "/orientations/",
    response=list[OrientationOut],
    tags=["orientations"],
    summary="Les orientations",
)
@paginate(Pagination)
def orientation_list(request, filters: Query[OrientationFilters]):
    return filtered(OrientationFilterSet, filters, orientations())


@api.get(
    "/orientations/{slug}/",
    response=OrientationOut,
    tags=["orientations"],
    summary="Une orientation",
)
def orientation_detail(request, slug: str):
    return detail(orientations(), slug)


@api.get("/pistes/", response=list[PisteOut], tags=["pistes"], summary="Les pistes")
@paginate(Pagination)
def piste_list(request, filters: Query[PisteFilters]):
    return filtered(PisteFilterSet, filters, pistes())


@api.get("/pistes/{slug}/", response=PisteOut, tags=["pistes"], summary="Une piste")
def piste_detail(request, slug: str):
    return detail(pistes(), slug)


@api.get(
    "/territoires/",
    response=list[TerritoryOut],
    tags=["territoires"],
    summary="Les territoires qui ont un cas publié",
)
@paginate(Pagination)
def territory_list(request):
    return territories().order_by("name", "pk")


@api.get(
    "/territoires/{slug}/", response=TerritoryOut, tags=["territoires"], summary="Un territoire"
)
def territory_detail(request, slug: str):
    return detail(territories(), slug)


@api.get("/sources/", response=list[SourceOut], tags=["sources"], summary="Les rapports sources")
@paginate(Pagination)
def source_list(request):
    return Source.objects.published().order_by("slug")


@api.get("/sources/{slug}/", response=SourceOut, tags=["sources"], summary="Un rapport")
def source_detail(request, slug: str):
    return detail(Source.objects.published(), slug)


@api.get("/themes/", response=list[ThemeOut], tags=["thèmes"], summary="Les thèmes")
@paginate(Pagination)
def theme_list(request):
    return Theme.objects.order_by("name", "pk")


@api.get("/themes/{slug}/", response=ThemeOut, tags=["thèmes"], summary="Un thème")
def theme_detail(request, slug: str):
    return detail(Theme.objects.all(), slug)
