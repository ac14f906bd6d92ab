"""Coaching tab pages, under /w/<workspace>/coaching/."""

from django.urls import path

from caredesk.coaching import views

urlpatterns = [
    path("", views.coaching_overview, name="coaching_overview"),
    path("refresh/", views.coaching_refresh, name="coaching_refresh"),
    path("plans/<int:agent>/", views.coaching_plan, name="coaching_plan"),
    path("sessions/", views.coaching_sessions, name="coaching_sessions"),
    path("sessions/<int:session>/", views.coaching_session, name="coaching_session"),
    path("sessions/<int:session>/items/", views.coaching_item_add, name="coaching_item_add"),
    path(
        "sessions/<int:session>/items/<int:item>/",
        views.coaching_item_done,
        name="coaching_item_done",
    ),
]
