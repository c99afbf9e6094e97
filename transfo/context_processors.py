from django.conf import settings


def site(request):
    """Who publishes the site, for the footer and the trust pages; no query."""
    return {
        "site": {
            "publisher": settings.SITE_PUBLISHER,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "host_provider": settings.SITE_HOST_PROVIDER,
            "publication_director": settings.SITE_PUBLICATION_DIRECTOR,
        }
    }
