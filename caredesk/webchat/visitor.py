"""Visitor details the server detects from the chat websocket's request: browser, operating
system, device, languages, client IP and location. They are merged into what the widget sends
(`visitor` of `start`), and win for the values a page cannot be trusted to report.

- Browser / OS / device: the User-Agent header, parsed by `ua-parser` (the uap-core rules).
- IP: the ASGI scope's client address. Behind a proxy, run uvicorn with --proxy-headers and
  --forwarded-allow-ips so that address is the visitor's, not the proxy's; X-Forwarded-For is
  not read here, because anyone can send it.
- Location: only from a CDN or proxy header (Cloudflare, CloudFront, App Engine or a generic
  X-Country / X-Region / X-City set by your proxy). No geo-IP lookup is made. Without one,
  `location` is left out, which the desk shows as unknown.
"""

from functools import lru_cache

import ua_parser

MAX_HEADER = 500

COUNTRY_HEADERS = ("cf-ipcountry", "cloudfront-viewer-country", "x-appengine-country", "x-country")
REGION_HEADERS = ("cloudfront-viewer-country-region-name", "x-appengine-region", "x-region")
CITY_HEADERS = ("cf-ipcity", "cloudfront-viewer-city", "x-appengine-city", "x-city")
UNKNOWN_COUNTRIES = {"", "xx", "zz", "t1"}  # Cloudflare: unknown, and Tor (T1)


def _headers(scope) -> dict[str, str]:
    found = {}
    for name, value in scope.get("headers") or ():
        key = name.decode("latin-1").lower()
        found.setdefault(key, value.decode("latin-1")[:MAX_HEADER].strip())
    return found


def _version(part) -> str:
    numbers = [n for n in (part.major, part.minor) if n]
    return ".".join(numbers)


@lru_cache(maxsize=1024)
def parse_user_agent(user_agent: str) -> dict[str, str]:
    """{"browser": "Firefox 133.0", "os": "Windows 10", "device": "iPhone"}, leaving out
    whatever the parser does not recognise."""
    result = ua_parser.parse(user_agent) if user_agent else None
    found = {}
    if result is None:
        return found
    if result.user_agent and result.user_agent.family != "Other":
        found["browser"] = f"{result.user_agent.family} {_version(result.user_agent)}".strip()
    if result.os and result.os.family != "Other":
        found["os"] = f"{result.os.family} {_version(result.os)}".strip()
    if result.device and result.device.family not in ("Other", "Mac") and result.device.brand:
        found["device"] = result.device.family
    return found


def _first(headers, names) -> str:
    return next((headers[n] for n in names if headers.get(n)), "")


def location_from(headers: dict[str, str]) -> str:
    """ "Lisbon, Lisbon, PT" from whatever of city, region and country the proxy told us."""
    country = _first(headers, COUNTRY_HEADERS)
    if country.lower() in UNKNOWN_COUNTRIES:
        country = ""
    parts = [_first(headers, CITY_HEADERS), _first(headers, REGION_HEADERS), country.upper()]
    return ", ".join(p for p in parts if p)


def detect(scope) -> dict[str, str]:
    """The visitor details the request itself tells, leaving out what it does not."""
    headers = _headers(scope)
    found = dict(parse_user_agent(headers.get("user-agent", "")))
    client = scope.get("client")
    if client and client[0]:
        found["ip"] = str(client[0])
    if headers.get("accept-language"):
        found["accept_language"] = headers["accept-language"]
    location = location_from(headers)
    if location:
        found["location"] = location
    return found


def merge(sent, scope):
    """The widget's visitor details plus the detected ones, which replace what the page sent
    for ip, browser, os, device, location and accept_language (the page's own `language`,
    navigator.language, is kept). Input that is not an object is returned unchanged, for the
    routing service to refuse."""
    if sent is None:
        sent = {}
    if not isinstance(sent, dict):
        return sent
    return {**sent, **detect(scope)}
