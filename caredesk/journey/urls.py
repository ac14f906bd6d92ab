from django.urls import path

from caredesk.journey import views

conv = "conversations/<str:token>/"

urlpatterns = [
    path(f"{conv}contact/search/", views.contact_search, name="journey_contact_search"),
    path(f"{conv}contact/link/", views.contact_link, name="journey_contact_link"),
    path(f"{conv}contact/new/", views.contact_new, name="journey_contact_new"),
    path(f"{conv}contact/edit/", views.contact_edit, name="journey_contact_edit"),
    path(f"{conv}case/search/", views.case_search, name="journey_case_search"),
    path(f"{conv}case/link/", views.case_link, name="journey_case_link"),
    path(f"{conv}case/new/", views.case_new, name="journey_case_new"),
    path("timeline/", views.timeline, name="journey_timeline"),
    path("timeline/note/", views.note, name="journey_note"),
    path("activities/<int:pk>/", views.activity_detail, name="journey_activity"),
    path("activities/<int:pk>/tags/", views.activity_tags, name="journey_activity_tags"),
    path("activities/<int:pk>/comments/", views.activity_comment, name="journey_activity_comment"),
    path("activities/<int:pk>/move/", views.activity_move, name="journey_activity_move"),
    path("customers/", views.customers_list, name="journey_customers"),
    path("contacts/<int:pk>/", views.contact_page, name="journey_contact"),
    path("accounts/<int:pk>/", views.account_page, name="journey_account"),
    path("cases/<int:number>/", views.case_page, name="journey_case"),
]
