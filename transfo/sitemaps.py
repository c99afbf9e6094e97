from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import CaseStudy, Territory
from practices.models import Finding, Orientation, Piste, Practice, Source
from trainings.models import Training


class VisibleSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.visible().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TerritorySitemap(Sitemap):
    def items(self):
        return Territory.objects.with_published_cases().order_by("pk")


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
            "practices:finding_list",
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
    "cas": VisibleSitemap(CaseStudy),
    "pratiques": VisibleSitemap(Practice),
    "formations": VisibleSitemap(Training),
    "orientations": VisibleSitemap(Orientation),
    "pistes": VisibleSitemap(Piste),
    "reperes": VisibleSitemap(Finding),
    "sources": VisibleSitemap(Source),
    "territoires": TerritorySitemap(),
}
