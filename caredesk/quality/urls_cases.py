"""URLs of the coaching cases opened by hand, under /w/<workspace>/coaching/ (see quality.urls);
the cases themselves live in the ticket list and inbox."""

from django.urls import path

from caredesk.quality import views_coaching_cases

urlpatterns = [
    path("cases/new/", views_coaching_cases.coaching_case_new, name="coaching_case_new"),
]
