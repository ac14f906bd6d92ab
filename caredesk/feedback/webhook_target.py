"""Where an alert rule's webhook may be sent: never to this machine or a private network
(the worker would POST response data to an internal service) unless
settings.CAREDESK_WEBHOOK_ALLOW_PRIVATE is set.

Checked twice: when the rule is saved (`url_problem`, a 400 naming the field), and when the
worker delivers (`urlopen`). At delivery the host name is resolved once, every address it
resolves to is checked, and the connection goes to the address that was checked, not to a
second lookup that DNS could answer differently (DNS rebinding). Redirects are not followed
(a 3xx is a failed attempt) and no proxy from the environment is used, so nothing but the
checked address is ever contacted."""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """The webhook's target is not allowed; the message says why."""


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    # Python 3.11 does not look inside these: ::ffff:127.0.0.1 is not "loopback" to it.
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: Address) -> str | None:
    """What kind of address this is when a webhook may not target it ("a loopback
    address"), or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_v4(ip)) is not None:
        return address_problem(inner)
    for kind, bad in (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
    ):
        if bad:
            return f"{kind} address"
    if not ip.is_global:  # e.g. 100.64.0.0/10, shared by a carrier's NAT
        return "not a public address"
    return None


def _allowed_private() -> bool:
    return bool(getattr(settings, "CAREDESK_WEBHOOK_ALLOW_PRIVATE", False))


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (Refused when it resolves to none)."""
    if (ip := _literal(host)) is not None:
        return [ip]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise Refused(f"{host} does not resolve ({e})") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))


def _refusal(host: str, addresses: list[Address]) -> str | None:
    if _allowed_private():
        return None
    for ip in addresses:
        if kind := address_problem(ip):
            if ip == _literal(host):
                return f"{host.strip('[]')} is {kind}"
            return f"{host} resolves to {ip}, {kind}"
    return None


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`: the first it resolves to, once all of them are
    allowed (a name that also resolves to an internal address is refused as a whole)."""
    addresses = resolve(host, port)
    if refusal := _refusal(host, addresses):
        raise Refused(f"Refused: {refusal} (set CAREDESK_WEBHOOK_ALLOW_PRIVATE=1 to allow it).")
    return str(addresses[0])


def url_problem(url: str) -> str | None:
    """Why a rule may not save this webhook address, or None. A host name is looked up
    too; one that does not resolve now is accepted (delivery checks it again)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return _("An http:// or https:// address.")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return _("An http:// or https:// address.")
    if parts.username is not None or parts.password is not None:
        return _("The address may not carry a user name or password.")
    if _allowed_private():
        return None
    if (ip := _literal(host)) is not None:
        addresses = [ip]
    elif host == "localhost" or host.endswith(".localhost"):
        return _("Not allowed: %(host)s is this machine.") % {"host": host}
    else:
        try:
            addresses = resolve(host, port or (443 if parts.scheme == "https" else 80))
        except Refused:
            return None
    refusal = _refusal(host, addresses)
    return _("Not allowed: %(reason)s.") % {"reason": refusal} if refusal else None


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.create_connection(
            (checked_address(self.host, self.port), self.port), self.timeout, self.source_address
        )
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = socket.create_connection(
            (checked_address(self.host, self.port), self.port), self.timeout, self.source_address
        )
        # The certificate is checked against the name, whatever address it was reached at.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirect
)


def urlopen(request: urllib.request.Request, *, timeout: float):
    """urllib's urlopen for a webhook: Refused when the target is not allowed."""
    try:
        return _opener.open(request, timeout=timeout)
    except urllib.error.URLError as e:
        if isinstance(e.reason, Refused):
            raise e.reason from None
        raise
