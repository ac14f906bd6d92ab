from django.urls import path

from caredesk.home import views

urlpatterns = [
    path("", views.index, name="home"),
    path("w/<slug:workspace>/", views.workspace_home, name="workspace_home"),
]
