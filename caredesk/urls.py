from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from caredesk.api.v1 import api
from caredesk.core import login as login_views
from caredesk.core.i18n import javascript_catalog
from caredesk.journey import views as journey_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("jsi18n/<str:lang>/", javascript_catalog, name="javascript_catalog"),
    path("s/", include("caredesk.feedback.urls")),
    path("chat/", include("caredesk.webchat.urls")),
    path("", include("caredesk.home.urls")),
    path("w/<slug:workspace>/tickets/", include("caredesk.tickets.urls")),
    path("w/<slug:workspace>/settings/queues/", include("caredesk.desk_settings.urls")),
    path("w/<slug:workspace>/settings/", include("caredesk.workspaces.urls")),
    path("w/<slug:workspace>/desk/", include("caredesk.routing.urls")),
    path("w/<slug:workspace>/feedback/", include("caredesk.feedback.workspace_urls")),
    # The Desk loads the customer summary of a chat from here (caredesk.journey).
    path(
        "w/<slug:workspace>/desk/conversations/<str:token>/summary/",
        journey_views.desk_summary,
        name="desk_summary",
    ),
    path("w/<slug:workspace>/journey/", include("caredesk.journey.urls")),
]

handler403 = "caredesk.home.views.forbidden"
