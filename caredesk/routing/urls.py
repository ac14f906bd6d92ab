from django.urls import path

from caredesk.routing import views

urlpatterns = [
    path("", views.desk, name="desk"),
    path("cases/", views.desk_cases, name="desk_cases"),
    path("supervisor/", views.supervisor, name="desk_supervisor"),
    path("supervisor/board/", views.supervisor_board, name="desk_supervisor_board"),
]
