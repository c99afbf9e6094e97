from practices.models import Theme
from practices.resources import PROVENANCE, ContentResource, by_slug

from .models import Training


class TrainingResource(ContentResource):
    themes = by_slug(Theme, "themes", many=True)

    class Meta(ContentResource.Meta):
        model = Training
        fields = (
            "slug",
            "title",
            "duration_days",
            "duration_label",
            "format",
            "domain",
            "audience",
            "objectives",
            "themes",
            *PROVENANCE,
        )
