"""The v1 HTTP API, mounted at /api/v1/. Thin: every operation checks access, then calls a
selector (read) or a service (write); the OpenAPI document is at /api/v1/openapi.json."""

from ninja import NinjaAPI

from caredesk.api import errors
from caredesk.api.action_plans import router as action_plans_router
from caredesk.api.analysis import router as analysis_router
from caredesk.api.appeals import router as appeals_router
from caredesk.api.article_search import router as article_search_router
from caredesk.api.article_use import router as article_use_router
from caredesk.api.articles import router as articles_router
from caredesk.api.auth import AUTH
from caredesk.api.business_hours import router as business_hours_router
from caredesk.api.calibrations import router as calibrations_router
from caredesk.api.coaching import router as coaching_router
from caredesk.api.coaching_cases import router as coaching_cases_router
from caredesk.api.customers import router as customers_router
from caredesk.api.desk import router as desk_router
from caredesk.api.evaluations import router as evaluations_router
from caredesk.api.feedback import router as feedback_router
from caredesk.api.journey import router as journey_router
from caredesk.api.metrics import router as metrics_router
from caredesk.api.parser import JSONParser
from caredesk.api.queues import router as queues_router
from caredesk.api.review import router as review_router
from caredesk.api.scorecards import router as scorecards_router
from caredesk.api.search import router as search_router
from caredesk.api.tickets import router as tickets_router
from caredesk.api.topics import router as topics_router
from caredesk.api.voice import router as voice_router

api = NinjaAPI(
    title="caredesk API",
    version="1",
    urls_namespace="api-v1",
    auth=AUTH,
    parser=JSONParser(),
    description=(
        "Authenticate with `Authorization: Bearer <token>` or a browser session (CSRF token "
        'required on writes). Errors: {"detail": "...", "errors": {"<field>": "..."}}.'
    ),
)
errors.install(api)
api.add_router("", tickets_router)
api.add_router("", customers_router)
api.add_router("", feedback_router)
api.add_router("", voice_router)
api.add_router("", desk_router)
api.add_router("", queues_router)
api.add_router("", journey_router)
api.add_router("", calibrations_router)
api.add_router("", appeals_router)
api.add_router("", coaching_router)
api.add_router("", review_router)
api.add_router("", evaluations_router)
api.add_router("", coaching_cases_router)
api.add_router("", scorecards_router)
api.add_router("", metrics_router)
api.add_router("", topics_router)
api.add_router("", analysis_router)
api.add_router("", search_router)
api.add_router("", business_hours_router)
api.add_router("", action_plans_router)
# Before the articles' router: "search" must not be read as an article id.
api.add_router("", article_search_router)
api.add_router("", articles_router)
api.add_router("", article_use_router)
