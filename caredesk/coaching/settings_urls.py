"""Coaching settings (who coaches whom), under /w/<workspace>/settings/coaches/."""

from django.urls import path

from caredesk.coaching import views

urlpatterns = [
    path("", views.coach_settings, name="coach_settings"),
    path("<int:assignment>/remove/", views.coach_settings_remove, name="coach_settings_remove"),
]
