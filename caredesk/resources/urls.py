"""The Resource center tab, under /w/<workspace>/resources/."""

from django.urls import path

from caredesk.resources import views

urlpatterns = [
    path("", views.resource_center, name="resource_center"),
    path("search/", views.resource_search, name="resource_search"),
    path("suggest/", views.resource_suggest, name="resource_suggest"),
    path("articles/new/", views.article_create, name="article_create"),
    path("articles/<int:article>/", views.article_detail, name="article_detail"),
]
