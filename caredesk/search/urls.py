"""The search page, under /w/<workspace>/conversations/search/."""

from django.urls import path

from caredesk.search import views

urlpatterns = [
    path("", views.search, name="search"),
]
