"""Response headers that django-csp and Django's SecurityMiddleware do not set themselves."""

# Browser features this site never uses.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# Where the strict Content-Security-Policy has to give way, and why.
CSP_RELAXATIONS = {
    # Django's admin writes style="" attributes in its forms and widgets.
    "/admin/": {"style-src": ["'unsafe-inline'"], "img-src": ["data:"]},
    # The API docs page starts Swagger UI with an inline script.
    "/api/v1/docs": {
        "script-src": ["'unsafe-inline'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
    },
}


class SecurityHeadersMiddleware:
    """Listed after django-csp's middleware, so that its relaxations are read by it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        for prefix, update in CSP_RELAXATIONS.items():
            if request.path.startswith(prefix):
                response._csp_update = update
                break
        return response
