"""Settings → Surveys: /w/<workspace>/settings/surveys/."""

from django.urls import path

from caredesk.feedback import survey_settings

urlpatterns = [
    path("", survey_settings.survey_list, name="settings_surveys"),
    path("new/", survey_settings.survey_new, name="settings_survey_new"),
    path("<int:survey_id>/", survey_settings.survey_edit, name="settings_survey_edit"),
]
