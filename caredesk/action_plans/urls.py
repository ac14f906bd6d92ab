"""The Action plans tab, under /w/<workspace>/action-plans/."""

from django.urls import path

from caredesk.action_plans import impact_views, views

urlpatterns = [
    path("", views.action_plan_list, name="action_plan_list"),
    path("new/", views.action_plan_create, name="action_plan_create"),
    path("export.xlsx", views.action_plan_export, name="action_plan_export"),
    path("<int:plan>/", views.action_plan_detail, name="action_plan_detail"),
    path("<int:plan>/impact.json", impact_views.action_plan_impact, name="action_plan_impact"),
]
