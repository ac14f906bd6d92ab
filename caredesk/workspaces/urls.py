from django.urls import path

from caredesk.workspaces import views

urlpatterns = [
    path("", views.settings_general, name="settings_general"),
]
