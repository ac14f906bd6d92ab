from django.urls import path

from caredesk.tickets import inbox_views, views

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("inbox/", inbox_views.inbox_page, name="ticket_inbox"),
    path("export.xlsx", views.ticket_export, name="ticket_export"),
    path("new/", views.ticket_new, name="ticket_new"),
    path("owners/", views.owner_options, name="ticket_owner_options"),
    path("<int:number>/", views.ticket_detail, name="ticket_detail"),
    path("<int:number>/assign-to-me/", views.ticket_assign_to_me, name="ticket_assign_to_me"),
    path("<int:number>/email/", inbox_views.ticket_email, name="ticket_email"),
    path("<int:number>/todos/", inbox_views.ticket_todo_add, name="ticket_todo_add"),
    path(
        "<int:number>/todos/<int:todo_id>/",
        inbox_views.ticket_todo_done,
        name="ticket_todo_done",
    ),
    path("<int:number>/share/", inbox_views.ticket_share, name="ticket_share"),
    path("<int:number>/unshare/", inbox_views.ticket_unshare, name="ticket_unshare"),
]
