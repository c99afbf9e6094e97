"""API routes of the case studies and territories."""

from ninja import Field, ModelSchema, Query, Router
from ninja.pagination import paginate

from core.api import Pagination, Record, Ref, detail, filter_schema, filtered
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
    cases: list[Ref] = Field(..., alias="published_cases")

    class Meta:
        model = Territory
        # With the official identity from the Code officiel géographique, where it matched.
        fields = [
            "slug",
            "name",
            "kind",
            "departement",
            "region",
            "insee_code",
            "siren",
            "official_type",
            "departement_code",
            "region_code",
            "population",
        ]


def cases():
    return CaseStudy.objects.visible().for_detail()


def territories():
    return Territory.objects.with_published_cases().for_detail()


@router.get(
    "/cas/", response=list[CaseOut], tags=["cas"], summary="Les cas, filtrés comme sur le site"
)
@paginate(Pagination)
def case_list(request, filters: Query[filter_schema(CaseStudyFilterSet)]):
    return filtered(CaseStudyFilterSet, filters, cases())


@router.get("/cas/{slug}/", response=CaseOut, tags=["cas"], summary="Un cas")
def case_detail(request, slug: str):
    return detail(cases(), slug)


@router.get(
    "/territoires/",
    response=list[TerritoryOut],
    tags=["territoires"],
    summary="Les territoires qui ont un cas publié",
)
@paginate(Pagination)
def territory_list(request):
    return territories().order_by("name", "pk")


@router.get(
    "/territoires/{slug}/", response=TerritoryOut, tags=["territoires"], summary="Un territoire"
)
def territory_detail(request, slug: str):
    return detail(territories(), slug)
