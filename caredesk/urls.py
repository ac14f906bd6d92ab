from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from caredesk.api.v1 import api
from caredesk.core import login as login_views
from caredesk.core.i18n import javascript_catalog
from caredesk.journey import views as journey_views
from caredesk.voice import views as voice_views
from caredesk.webchat import views as webchat_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("jsi18n/<str:lang>/", javascript_catalog, name="javascript_catalog"),
    # The same catalogue as JSON, for the chat widget on other sites (caredesk.webchat).
    path("jsi18n/<str:lang>/json/", webchat_views.catalogue_json, name="javascript_catalog_json"),
    path("s/", include("caredesk.feedback.urls")),
    path("chat/", include("caredesk.webchat.urls")),
    path("help/", include("caredesk.resources.public_urls")),
    path("", include("caredesk.home.urls")),
    path("w/<slug:workspace>/tickets/", include("caredesk.tickets.urls")),
    path("w/<slug:workspace>/settings/queues/", include("caredesk.desk_settings.urls")),
    path("w/<slug:workspace>/settings/chat-widget/", include("caredesk.webchat.settings_urls")),
    path("w/<slug:workspace>/settings/surveys/", include("caredesk.feedback.settings_urls")),
    path("w/<slug:workspace>/settings/quality/", include("caredesk.quality.settings_urls")),
    path("w/<slug:workspace>/settings/coaches/", include("caredesk.coaching.settings_urls")),
    path("w/<slug:workspace>/settings/business-hours/", include("caredesk.insights.settings_urls")),
    path("w/<slug:workspace>/settings/topics/", include("caredesk.conversations.settings_urls")),
    path("w/<slug:workspace>/settings/", include("caredesk.workspaces.urls")),
    path("w/<slug:workspace>/desk/", include("caredesk.routing.urls")),
    path("w/<slug:workspace>/feedback/", include("caredesk.feedback.workspace_urls")),
    # The Desk loads the customer summary of a chat from here (caredesk.journey).
    path(
        "w/<slug:workspace>/desk/conversations/<str:token>/summary/",
        journey_views.desk_summary,
        name="desk_summary",
    ),
    # ... and of a call (caredesk.voice).
    path(
        "w/<slug:workspace>/desk/calls/<int:activity>/summary/",
        voice_views.desk_call_summary,
        name="desk_call_summary",
    ),
    path("w/<slug:workspace>/journey/", include("caredesk.journey.urls")),
    # The Coaching tab: quality (evaluations, review queue, appeals, calibration) and coaching
    # (overview, plans, sessions) share its prefix.
    path("w/<slug:workspace>/coaching/", include("caredesk.quality.urls")),
    path("w/<slug:workspace>/coaching/", include("caredesk.coaching.urls")),
    path("w/<slug:workspace>/insights/", include("caredesk.insights.urls")),
    # Search is a page of the Conversations tab; its own prefix comes first.
    path("w/<slug:workspace>/conversations/search/", include("caredesk.search.urls")),
    path("w/<slug:workspace>/conversations/", include("caredesk.conversations.urls")),
    path("w/<slug:workspace>/action-plans/", include("caredesk.action_plans.urls")),
    path("w/<slug:workspace>/resources/", include("caredesk.resources.urls")),
]

handler403 = "caredesk.home.views.forbidden"
