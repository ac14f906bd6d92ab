"""URLs of the appeals pages, under /w/<workspace>/coaching/ (see quality.urls)."""

from django.urls import path

from caredesk.quality import views_appeals

urlpatterns = [
    path("appeals/", views_appeals.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", views_appeals.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/decide/", views_appeals.appeal_decide, name="appeal_decide"),
    path("evaluations/<int:pk>/appeal/", views_appeals.appeal_create, name="appeal_create"),
]
