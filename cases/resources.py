from practices.models import Piste, Practice, Theme
from practices.resources import PROVENANCE, ContentResource, by_slug

from .models import CaseStudy, Territory


class CaseStudyResource(ContentResource):
    territory = by_slug(Territory, "territory")
    practices = by_slug(Practice, "practices", many=True)
    themes = by_slug(Theme, "themes", many=True)
    pistes = by_slug(Piste, "pistes", many=True)

    class Meta(ContentResource.Meta):
        model = CaseStudy
        fields = (
            "slug",
            "kind",
            "title",
            "territory",
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
            "practices",
            "themes",
            "pistes",
            *PROVENANCE,
        )
