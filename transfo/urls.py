from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import citations, maps, pages, panorama, views
from .api import api, declare_cache_params
from .feeds import LatestRecordsFeed
from .sitemaps import sitemaps

admin.site.site_header = _("Transfo — administration")
admin.site.site_title = _("Transfo")
admin.site.index_title = _("Contenus du répertoire")

api_urls = api.urls
declare_cache_params(api_urls)

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("manques/", views.gaps, name="gaps"),
    path("a-propos/", pages.AboutPage.as_view(), name="about"),
    path("mentions-legales/", pages.LegalPage.as_view(), name="legal"),
    path("accessibilite/", pages.AccessibilityPage.as_view(), name="accessibility"),
    path("donnees/", pages.DataPage.as_view(), name="data"),
    path("plan-du-site/", pages.SiteMapPage.as_view(), name="site_map"),
    path("citer/<str:kind>/<slug:slug>.<str:format>", citations.cite, name="cite"),
    path("carte/", maps.case_map, name="map"),
    path("panorama/", panorama.panorama, name="panorama"),
    path("panorama/<slug:slug>.csv", panorama.panorama_csv, name="panorama_csv"),
    # Browsers ask for it before reading the page's <link rel="icon">.
    path("favicon.ico", pages.favicon),
    path("flux/", LatestRecordsFeed(), name="feed"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls),
    path("", include("practices.urls")),
    path("", include("cases.urls")),
    path("", include("trainings.urls")),
]

if settings.DEBUG:
    # Uploaded illustrations in development; in production the reverse proxy serves MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare/", views.bare, name="bench_bare"))
