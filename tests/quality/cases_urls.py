"""caredesk's URLs, plus a stand-in for each quality page Home links to that this branch does
not route yet (the review queue, the appeals and evaluations lists, an evaluation, the coaching
sessions), so the links Home builds can be checked; a page routed for real is used as is."""

from django.http import HttpResponse
from django.urls import get_resolver, path

from caredesk import urls as main


def _stand_in(request, *args, **kwargs):
    return HttpResponse("")


PAGES = {
    "review_queue": "review/",
    "appeal_list": "appeals/",
    "evaluation_list": "evaluations/",
    "evaluation_detail": "evaluations/<int:pk>/",
    "coaching_sessions": "sessions/",
}
_routed = get_resolver("caredesk.urls").reverse_dict

urlpatterns = [
    *main.urlpatterns,
    *(
        path(f"w/<slug:workspace>/h7-stand-in/{route}", _stand_in, name=name)
        for name, route in PAGES.items()
        if name not in _routed
    ),
]
