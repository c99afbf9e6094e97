"""The Atom feed of new and updated records (`/flux/`), for watchers and aggregators."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from cases.models import CaseStudy
from practices.models import Orientation, Piste, Practice
from trainings.models import Training

FEED_ITEMS = 50
# (model, label shown before the title, the text that summarises it)
FEED_TYPES = [
    (CaseStudy, "Cas", "summary"),
    (Practice, "Pratique", "summary"),
    (Training, "Formation", "objectives"),
    (Piste, "Piste", "lever"),
    (Orientation, "Orientation", "summary"),
]


class LatestRecordsFeed(Feed):
    feed_type = Atom1Feed
    title = "Transfo : fiches nouvelles et mises à jour"
    subtitle = (
        "Les cas, pratiques, formations, pistes et orientations du répertoire Transfo, "
        "les plus récemment publiés ou modifiés d’abord."
    )
    link = "/"
    feed_url = "/flux/"
    author_name = "Transfo"

    def items(self):
        # One query per record type, then the FEED_ITEMS most recent of all.
        records = []
        for model, label, text_field in FEED_TYPES:
            for record in (
                model.objects.visible().select_related("source").order_by("-updated_at")
            )[:FEED_ITEMS]:
                record.feed_label = label
                record.feed_text = getattr(record, text_field, "") or ""
                records.append(record)
        records.sort(key=lambda record: record.updated_at, reverse=True)
        return records[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.feed_label} : {item}"

    def item_description(self, item):
        source = f"Source : {item.source.short_title}" + (
            f", p. {item.pages}" if item.pages else ""
        )
        return f"{item.feed_text}\n\n{source}".strip()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.feed_label]
