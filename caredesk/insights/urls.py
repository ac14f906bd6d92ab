"""Insights tab pages, under /w/<workspace>/insights/."""

from django.urls import path

from caredesk.insights import views

urlpatterns = [
    path("", views.insights_dashboard, name="insights_dashboard"),
    path("data.json", views.insights_data, name="insights_data"),
    path("rows/<slug:metric>/", views.insights_rows, name="insights_rows"),
    path("rows/<slug:metric>/export.xlsx", views.insights_rows_export, name="insights_rows_export"),
]
