"""URLs of the evaluations pages, under /w/<workspace>/coaching/ (see quality.urls). The names
`evaluate`, `evaluation_detail` and `evaluation_list` are linked to from other areas."""

from django.urls import path

from caredesk.quality import views_evaluations as views

urlpatterns = [
    path("evaluate/", views.evaluate, name="evaluate"),
    path("evaluate/preview/", views.evaluate_preview, name="evaluate_preview"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path(
        "evaluations/<int:pk>/acknowledge/",
        views.evaluation_acknowledge,
        name="evaluation_acknowledge",
    ),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/agent/", views.evaluation_set_agent, name="evaluation_set_agent"),
]
