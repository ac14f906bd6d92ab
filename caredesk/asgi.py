import atexit
import gc
import logging
import os
import time

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from caredesk.realtime.routing import websocket_urlpatterns  # noqa: E402
from caredesk.webchat.origin import chat_from_any_origin  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The anonymous chat socket opens from any site embedding the widget; the
        # session-authenticated sockets keep the ALLOWED_HOSTS origin check.
        "websocket": chat_from_any_origin(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# The URLconf imports every view, the API and its schemas: done here, at start, rather than by
# the first request after a restart, which would otherwise pay seconds for it.
_ = get_resolver().url_patterns

# Everything loaded so far (Django, the apps, their modules: ~86,000 objects) lives as long as
# the process. Frozen, the garbage collector no longer walks it: a full collection in an app
# process took ~130 ms before, a pause every open websocket would feel, and ~0 ms after.
gc.freeze()


# A collection long enough for websocket users to feel is worth a line in the log: it tells a
# pause of the whole process apart from a slow query or a busy machine.
SLOW_GC_SECONDS = 0.05
_gc_started = [0.0]


def _gc_watch(phase, info):
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    elif (took := time.perf_counter() - _gc_started[0]) > SLOW_GC_SECONDS:
        logging.getLogger("caredesk.gc").warning(
            "garbage collection of generation %s took %.0f ms (%s objects collected)",
            info["generation"],
            took * 1000,
            info["collected"],
        )


gc.callbacks.append(_gc_watch)
# The collections of the interpreter's shutdown are nobody's pause, and the log may be closed.
atexit.register(gc.callbacks.remove, _gc_watch)
