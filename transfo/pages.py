"""The site's own pages: identity and trust pages, the site map, and the CSRF failure page."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """Django's default is an English page whose inline styles the CSP blocks (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
