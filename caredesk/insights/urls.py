"""Insights tab pages, under /w/<workspace>/insights/."""

from django.urls import path

from caredesk.insights import views

urlpatterns = [
    path("", views.insights_dashboard, name="insights_dashboard"),
]
