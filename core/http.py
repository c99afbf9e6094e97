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
