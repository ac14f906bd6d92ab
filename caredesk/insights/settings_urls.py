"""Settings → Business hours, under /w/<workspace>/settings/business-hours/."""

from django.urls import path

from caredesk.insights import settings_views

urlpatterns = [
    path("", settings_views.business_hours_settings, name="business_hours_settings"),
]
