"""One error body for the whole API: {"detail": "<human message>", "errors": {"<field>": "..."}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from caredesk.core.errors import REFUSED, FieldErrors

# Where ninja says a parameter came from; not part of the field name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The name every operation gives its request body; not part of the field name either.
_BODY_PARAM = "payload"


def _field(loc) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] == _BODY_PARAM:
        parts = parts[1:]
    names = [str(p) for p in parts if not isinstance(p, int)]
    return names[0] if names else "body"


def _message(err: dict) -> str:
    msg = err.get("msg") or _("Invalid value.")
    return msg[0].upper() + msg[1:] if msg else msg


def validation_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors:
        errors.setdefault(_field(err.get("loc", ())), _message(err))
    return errors


def _summary(errors: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in errors.items()) or _("Invalid input.")


def install(api) -> None:
    @api.exception_handler(FieldErrors)
    def field_errors(request, exc: FieldErrors):
        return api.create_response(
            request, {"detail": _summary(exc.errors), "errors": exc.errors}, status=400
        )

    @api.exception_handler(ValidationError)
    def schema_errors(request, exc: ValidationError):
        errors = validation_errors(exc)
        # Values a schema refuses as a service would (e.g. an unknown ticket status in the
        # filters) are the service's 400; a missing or mistyped field stays a 422.
        refused = all(err.get("type") == REFUSED for err in exc.errors)
        return api.create_response(
            request, {"detail": _summary(errors), "errors": errors}, status=400 if refused else 422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(
            request, {"detail": str(exc) or _("You do not have permission to do this.")}, status=403
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {"detail": _("Authentication required: a Bearer token or a signed-in session.")},
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        body = {"detail": str(exc)}
        if exc.status_code in (400, 422):
            # e.g. "Cannot parse request body": the body itself is the culprit.
            body["errors"] = {"body": str(exc)}
        return api.create_response(request, body, status=exc.status_code)
