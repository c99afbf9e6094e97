from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import CaseStudy, Territory
from practices.models import Orientation, Piste, Practice, Source
from trainings.models import Training


class PublishedSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TerritorySitemap(Sitemap):
    def items(self):
        return Territory.objects.filter(cases__status="published").distinct().order_by("pk")


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "search",
            "gaps",
            "cases:list",
            "practices:list",
            "trainings:list",
            "practices:orientation_list",
            "practices:piste_list",
            "practices:source_list",
            "map",
            "panorama",
            "about",
            "legal",
            "accessibility",
            "data",
            "site_map",
        ]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": StaticSitemap(),
    "cas": PublishedSitemap(CaseStudy),
    "pratiques": PublishedSitemap(Practice),
    "formations": PublishedSitemap(Training),
    "orientations": PublishedSitemap(Orientation),
    "pistes": PublishedSitemap(Piste),
    "sources": PublishedSitemap(Source),
    "territoires": TerritorySitemap(),
}
