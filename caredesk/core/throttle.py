"""Counters of attempts per key over a sliding window, and cooling-off locks, kept in the
"throttle" cache (settings.CACHES): Redis when REDIS_URL is set, otherwise a file cache that
every app process of one installation shares. Used by the login throttle
(caredesk.core.login) and the rate limits of the public pages (survey answers, chat starts).

The window is approximated the usual way for counters: the count of the current fixed
window plus the previous window's count weighted by how much of it still overlaps the
sliding window. Each window's counter is one atomic `incr` on Redis; the file cache's
increment is a read and a write, which is enough here: requests of one process run one at a
time through Django's sync views, so only two app processes racing could lose a count.

Times come from `now()`, so tests move the clock instead of sleeping; the cache's own
timeouts only tidy up, they never decide."""

import hashlib
import time

from django.core.cache import caches

CACHE = "throttle"


def now() -> float:
    return time.time()


def _key(scope: str, key: str, suffix: str) -> str:
    # Usernames and addresses are user input: hashed, they make a safe, short cache key.
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{suffix}"


def count(*, scope: str, key: str, window: int, add: bool = False) -> float:
    """Attempts for `key` in the last `window` seconds (after recording one, if `add`)."""
    cache = caches[CACHE]
    t = now()
    index = int(t // window)
    current_key = _key(scope, key, f"w{index}")
    if add:
        cache.add(current_key, 0, timeout=2 * window)
        try:
            current = cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.set(current_key, 1, timeout=2 * window)
            current = 1
    else:
        current = cache.get(current_key, 0)
    previous = cache.get(_key(scope, key, f"w{index - 1}"), 0)
    overlap = 1 - (t - index * window) / window
    return current + previous * overlap


def reset(*, scope: str, key: str, window: int) -> None:
    index = int(now() // window)
    caches[CACHE].delete_many([_key(scope, key, f"w{i}") for i in (index, index - 1)])


def lock(*, scope: str, key: str, seconds: int) -> None:
    caches[CACHE].set(_key(scope, key, "lock"), now() + seconds, timeout=seconds + 60)


def locked_until(*, scope: str, key: str) -> float | None:
    """When the lock on `key` ends, or None when it is not locked."""
    until = caches[CACHE].get(_key(scope, key, "lock"))
    return until if until is not None and until > now() else None


def over_limit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Records one attempt and tells whether it is beyond `limit` in `window` seconds: the
    rate limit of anonymous public forms (nothing locks; the window slides on). A limit of
    0 turns it off."""
    if limit <= 0:
        return False
    return count(scope=scope, key=key, window=window, add=True) > limit


def client_ip(request) -> str:
    """The caller's address as the server saw it. Behind a TLS-terminating proxy, uvicorn
    puts the client's address here from X-Forwarded-For, but only for the proxies named
    by CAREDESK_TRUSTED_PROXY (`caredesk serve` passes them as --forwarded-allow-ips), so a
    client cannot choose its own address by sending the header itself."""
    return request.META.get("REMOTE_ADDR") or "unknown"
