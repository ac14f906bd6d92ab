from django.urls import path

from caredesk.care import views

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
]
