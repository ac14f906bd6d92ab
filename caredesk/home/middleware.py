"""A refusal is an answer, not an error: the 403 page without a traceback in the log."""

from django.core.exceptions import PermissionDenied

from caredesk.home.views import forbidden


class ForbiddenMiddleware:
    """Answers a PermissionDenied raised by a view with the 403 page itself. Left to Django,
    the refusal is logged by django.request with the exception attached, so every 403 wrote
    a full traceback to the server log; here it is one warning line (Django still logs the
    403 response as "Forbidden: <path>", without exc_info)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PermissionDenied):
            return None
        return forbidden(request, exception)
