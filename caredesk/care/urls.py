from django.urls import path

from caredesk.care import views

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("export.xlsx", views.ticket_export, name="ticket_export"),
    path("new/", views.ticket_new, name="ticket_new"),
    path("owners/", views.owner_options, name="ticket_owner_options"),
    path("<int:number>/", views.ticket_detail, name="ticket_detail"),
    path("<int:number>/assign-to-me/", views.ticket_assign_to_me, name="ticket_assign_to_me"),
]
