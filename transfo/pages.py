"""The site's own pages: identity and trust pages, the site map, and the CSRF failure page."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from practices.models import Source

# When the accessibility statement was last checked against the pages (axe-core and Lighthouse
# in the test suite); updated by whoever audits again.
ACCESSIBILITY_AUDIT_DATE = "2026-11-29"


class SitePage(TemplateView):
    """A page of the site itself (not a record): GET and HEAD only."""

    http_method_names = ["get", "head"]
    page_title = ""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": self.page_title}


class AboutPage(SitePage):
    template_name = "pages/about.html"
    page_title = "À propos de Transfo"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = Source.objects.visible().order_by("-pk")
        return context


class LegalPage(SitePage):
    template_name = "pages/legal.html"
    page_title = "Mentions légales"


class AccessibilityPage(SitePage):
    template_name = "pages/accessibility.html"
    page_title = "Déclaration d’accessibilité"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "audit_date": ACCESSIBILITY_AUDIT_DATE}


class DataPage(SitePage):
    template_name = "pages/data.html"
    page_title = "Réutiliser les données"


class SiteMapPage(SitePage):
    template_name = "pages/site_map.html"
    page_title = "Plan du site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = Source.objects.visible().order_by("short_title")
        return context


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """Django's default is an English page whose inline styles the CSP blocks (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
