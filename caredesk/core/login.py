"""Login throttling: after CAREDESK_LOGIN_FAILURES_PER_USER failed passwords for one
username, or CAREDESK_LOGIN_FAILURES_PER_IP from one address, within
CAREDESK_LOGIN_WINDOW_SECONDS, that username (or address) is locked for
CAREDESK_LOGIN_LOCK_SECONDS: every password is refused then, the right one too, or the lock
would only slow a guesser down. Why our own code and not django-axes:
docs/adr/0001-login-throttle.md.

It sits in the authentication itself (`LockoutBackend` first in AUTHENTICATION_BACKENDS,
failures counted from Django's `user_login_failed` signal), so every password path obeys it:
the login page, the admin's login and any future one. The login page answers a locked
attempt with 429 and says when to try again. The API takes tokens and the browser's
session, never a password, so it has nothing to throttle."""

import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _

from caredesk.core import throttle

USER, IP = "login-user", "login-ip"


def _username(value) -> str:
    return str(value or "").strip().lower()


def _ip(request) -> str | None:
    return throttle.client_ip(request) if request is not None else None


def lock_left(*, username: str, ip: str | None) -> int:
    """Seconds until this username and address may try again; 0 when neither is locked."""
    ends = [throttle.locked_until(scope=USER, key=_username(username))]
    if ip is not None:
        ends.append(throttle.locked_until(scope=IP, key=ip))
    latest = max((t for t in ends if t is not None), default=None)
    return 0 if latest is None else max(1, math.ceil(latest - throttle.now()))


def failure(*, username: str, ip: str | None) -> None:
    window = settings.CAREDESK_LOGIN_WINDOW_SECONDS
    limits = [(USER, _username(username), settings.CAREDESK_LOGIN_FAILURES_PER_USER)]
    if ip is not None:
        limits.append((IP, ip, settings.CAREDESK_LOGIN_FAILURES_PER_IP))
    for scope, key, limit in limits:
        if throttle.count(scope=scope, key=key, window=window, add=True) >= limit:
            throttle.lock(scope=scope, key=key, seconds=settings.CAREDESK_LOGIN_LOCK_SECONDS)
            # The lock alone refuses now; counting starts afresh once it ends.
            throttle.reset(scope=scope, key=key, window=window)


class LockoutBackend:
    """Refuses every password for a locked username or address. Raising PermissionDenied
    stops Django's authenticate() before the backends that would check the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and lock_left(username=username, ip=_ip(request)):
            raise PermissionDenied(_("Too many failed logins."))
        return None

    # No get_user: Django's test client's force_login() and the session pick the first
    # backend that has one, and this one never holds a user.


@receiver(user_login_failed, dispatch_uid="caredesk-login-throttle-failed")
def _failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username is None:
        return
    ip = _ip(request)
    if lock_left(username=username, ip=ip):
        return  # refused by the lock, not a guess that counts again
    failure(username=username, ip=ip)


@receiver(user_logged_in, dispatch_uid="caredesk-login-throttle-success")
def _succeeded(sender, request, user, **kwargs):
    # The owner of the account got in: their earlier typos no longer count. The address's
    # count stays (one address guessing at many accounts would otherwise reset it).
    throttle.reset(
        scope=USER,
        key=_username(user.get_username()),
        window=settings.CAREDESK_LOGIN_WINDOW_SECONDS,
    )


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"

    def post(self, request, *args, **kwargs):
        wait = lock_left(username=request.POST.get("username", ""), ip=_ip(request))
        if wait:
            # Unbound: a bound form would authenticate again to show its errors.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            return self.render_to_response(
                self.get_context_data(form=form, locked_minutes=math.ceil(wait / 60)),
                status=429,
                headers={"Retry-After": str(wait)},
            )
        return super().post(request, *args, **kwargs)
