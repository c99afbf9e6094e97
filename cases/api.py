"""API routes of the case studies and territories."""

from ninja import Field, ModelSchema, Query, Router

from core.api import Record, Ref, detail, filter_schema, filtered, kept_pages
from practices.api import PROVENANCE, FindingRef, PracticeLinkOut, SourceRef, ThemeOut

from .filters import CaseStudyFilterSet
from .models import CaseStudy, Territory

router = Router()


class TerritoryRef(Record, ModelSchema):
    class Meta:
        model = Territory
        fields = ["slug", "name", "kind", "departement", "region"]


class CaseOut(Record, ModelSchema):
    source: SourceRef
    territory: TerritoryRef | None
    themes: list[ThemeOut]
    practices: list[PracticeLinkOut] = Field(..., alias="published_practice_links")
    pistes: list[Ref] = Field(..., alias="published_pistes")
    findings: list[FindingRef] = Field(..., alias="published_findings")

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "kind",
            "commissioner",
            "period",
            "year_start",
            "year_end",
            "summary",
            "key_facts",
            "method",
            "actors",
            "results",
            "success_factors",
            "limits",
            *PROVENANCE,
        ]


class TerritoryOut(TerritoryRef):
    # The official identity from the Code officiel géographique, where it matched.
    insee_code: str = Field(description="Code INSEE (Code officiel géographique)")
    siren: str
    official_type: str = Field(description="Type officiel (COG)")
    departement_code: str
    region_code: str
    population: int | None
    cases: list[Ref] = Field(..., alias="published_cases")


def cases():
    return CaseStudy.objects.visible().for_detail()


def territories():
    return Territory.objects.with_published_cases().for_detail()


@router.get(
    "/cas/", response=list[CaseOut], tags=["cas"], summary="Les cas, filtrés comme sur le site"
)
@kept_pages(CaseOut)
def case_list(request, filters: Query[filter_schema(CaseStudyFilterSet)]):
    return filtered(request, CaseStudyFilterSet, filters, cases())


@router.get("/cas/{slug}/", response=CaseOut, tags=["cas"], summary="Un cas")
def case_detail(request, slug: str):
    return detail(cases(), slug)


@router.get(
    "/territoires/",
    response=list[TerritoryOut],
    tags=["territoires"],
    summary="Les territoires qui ont un cas publié",
)
@kept_pages(TerritoryOut)
def territory_list(request):
    return territories().order_by("name", "pk")


@router.get(
    "/territoires/{slug}/", response=TerritoryOut, tags=["territoires"], summary="Un territoire"
)
def territory_detail(request, slug: str):
    return detail(territories(), slug)
