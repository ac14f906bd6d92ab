"""htmx in the HTML views: whether a request comes from htmx, the status of a form sent back
with its errors, and the response headers that steer htmx
(https://htmx.org/reference/#response_headers). One small module, as NetBox's
utilities/htmx.py, so every view answers htmx the same way."""

from django.http import HttpResponse, HttpResponseRedirect

# A form sent back with its errors, nothing written. htmx does not swap an error status by
# default; static/caredesk/app.js swaps 400 like a success.
INVALID = 400


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def target(request) -> str:
    """The id of the element htmx will swap the response into ("" without htmx)."""
    return request.headers.get("HX-Target") or ""


def current_url(request) -> str:
    """The URL of the page that sent the htmx request ("" without htmx)."""
    return request.headers.get("HX-Current-URL") or ""


def form_status(errors) -> int:
    """INVALID when there are errors, else 200."""
    return INVALID if errors else 200


def redirect(request, url: str) -> HttpResponse:
    """Go to `url`: for htmx a full page load (HX-Redirect on an empty 204), else a 302."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def trigger(response: HttpResponse, event: str) -> HttpResponse:
    """Have htmx fire `event` on the page once it has the response (nothing for no event)."""
    if event:
        response["HX-Trigger"] = event
    return response


def retarget(response: HttpResponse, target: str, swap: str = "outerHTML") -> HttpResponse:
    """Swap the response into `target` (a CSS selector) instead of the element that asked,
    replacing it whole by default (nothing for no target)."""
    if target:
        response["HX-Retarget"] = target
        response["HX-Reswap"] = swap
    return response
