"""The Action plans tab, under /w/<workspace>/action-plans/."""

from django.urls import path

from caredesk.action_plans import impact_views, views

urlpatterns = [
    path("", views.action_plan_list, name="action_plan_list"),
    path("new/", views.action_plan_create, name="action_plan_create"),
    path("export.xlsx", views.action_plan_export, name="action_plan_export"),
    path("<int:plan>/", views.action_plan_detail, name="action_plan_detail"),
    path("<int:plan>/impact.json", impact_views.action_plan_impact, name="action_plan_impact"),
    path("<int:plan>/edit/", views.action_plan_edit, name="action_plan_edit"),
    path("<int:plan>/status/", views.action_plan_status, name="action_plan_status"),
    path("<int:plan>/tasks/", views.action_plan_task_add, name="action_plan_task_add"),
    path("<int:plan>/tasks/<int:task>/", views.action_plan_task_edit, name="action_plan_task_edit"),
    path(
        "<int:plan>/tasks/<int:task>/done/",
        views.action_plan_task_done,
        name="action_plan_task_done",
    ),
    path(
        "<int:plan>/tasks/<int:task>/delete/",
        views.action_plan_task_delete,
        name="action_plan_task_delete",
    ),
    path(
        "<int:plan>/tasks/<int:task>/move/",
        views.action_plan_task_move,
        name="action_plan_task_move",
    ),
    path("<int:plan>/comments/", views.action_plan_comment_add, name="action_plan_comment_add"),
    path("<int:plan>/links/", views.action_plan_link_add, name="action_plan_link_add"),
    path(
        "<int:plan>/links/<int:link>/delete/",
        views.action_plan_link_delete,
        name="action_plan_link_delete",
    ),
]
