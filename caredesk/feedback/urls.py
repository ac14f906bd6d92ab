from django.urls import path

from caredesk.feedback import views

urlpatterns = [
    path("<str:token>/", views.survey_page, name="survey_page"),
]
