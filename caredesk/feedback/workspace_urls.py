from django.urls import path

from caredesk.feedback import pages

urlpatterns = [
    path("responses/", pages.response_list, name="feedback_responses"),
    path("responses/<int:response_id>/", pages.response_detail, name="feedback_response"),
    path("surveys/", pages.survey_list, name="feedback_surveys"),
    path("surveys/<int:survey_id>/", pages.survey_detail, name="feedback_survey"),
    path("surveys/<int:survey_id>/import/", pages.survey_import, name="feedback_survey_import"),
    path("rules/", pages.rule_list, name="feedback_rules"),
    path("rules/new/", pages.rule_new, name="feedback_rule_new"),
    path("rules/<int:rule_id>/", pages.rule_detail, name="feedback_rule"),
    path("rules/<int:rule_id>/edit/", pages.rule_edit, name="feedback_rule_edit"),
    path("rules/<int:rule_id>/active/", pages.rule_toggle, name="feedback_rule_toggle"),
    path("rules/<int:rule_id>/run/", pages.rule_run, name="feedback_rule_run"),
]
