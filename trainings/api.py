"""API routes of the trainings."""

from decimal import Decimal

from ninja import Field, ModelSchema, Query, Router

from core.api import Record, detail, filter_schema, filtered, kept_pages
from practices.api import PROVENANCE, FindingRef, PracticeLinkOut, SourceRef, ThemeOut

from .filters import TrainingFilterSet
from .models import Training

router = Router()


class TrainingOut(Record, ModelSchema):
    source: SourceRef
    duration_days: Decimal | None
    themes: list[ThemeOut]
    practices: list[PracticeLinkOut] = Field(..., alias="published_links")
    findings: list[FindingRef] = Field(..., alias="published_findings")

    class Meta:
        model = Training
        fields = [
            "slug",
            "title",
            "duration_label",
            "format",
            "domain",
            "audience",
            "objectives",
            *PROVENANCE,
        ]


def trainings():
    return Training.objects.visible().for_detail()


@router.get(
    "/formations/", response=list[TrainingOut], tags=["formations"], summary="Les formations"
)
@kept_pages(TrainingOut)
def training_list(request, filters: Query[filter_schema(TrainingFilterSet)]):
    return filtered(request, TrainingFilterSet, filters, trainings())


@router.get(
    "/formations/{slug}/", response=TrainingOut, tags=["formations"], summary="Une formation"
)
def training_detail(request, slug: str):
    return detail(trainings(), slug)
