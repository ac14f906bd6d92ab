"""How API callers prove who they are: a Bearer token (integrations) or the browser session."""

from ninja.security import HttpBearer, SessionAuth

from caredesk.workspaces.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token) if token else None
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """Django's session, with ninja's CSRF check for unsafe methods. An anonymous caller is
    simply not authenticated (401), rather than failing the CSRF check first (403)."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)


AUTH = [BearerToken(), BrowserSession()]
