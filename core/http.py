"""HTTP details the frameworks leave out."""

API_PREFIX = "/api/"


class HeadAsGetMiddleware:
    """django-ninja routes answer GET only, so HEAD (monitors, link checkers) got a 405 from
    the API. HEAD is served as GET there, with the same headers and no body. The site's own
    views declare `require_safe`, which accepts HEAD already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


def client_ip(request):
    """The visitor's address, for the login lockout (django-axes).

    Behind N trusted reverse proxies (`TRUSTED_PROXY_COUNT`, from DJANGO_TRUSTED_PROXIES), the
    last proxy is REMOTE_ADDR and the visitor is the N-th address from the end of
    X-Forwarded-For: each proxy appends the address that connected to it, so only the last N
    entries can be trusted; anything before them may be forged by the client."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote  # not come through the expected proxies: do not trust the header
    return forwarded[-count]
