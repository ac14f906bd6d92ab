"""URLs of the appeals settings, under /w/<workspace>/settings/quality/."""

from django.urls import path

from caredesk.quality import views_appeals

urlpatterns = [
    path("appeals/", views_appeals.appeal_settings, name="appeal_settings"),
]
