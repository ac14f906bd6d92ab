"""Conversations tab pages, under /w/<workspace>/conversations/."""

from django.urls import path

from caredesk.conversations import views

urlpatterns = [
    path("", views.conversations_overview, name="conversations_overview"),
]
