"""URLs of the review settings, under /w/<workspace>/settings/quality/."""

from django.urls import path

from caredesk.quality import views_review as v

urlpatterns: list = [
    path("review-rules/", v.sampling_rules, name="sampling_rules"),
    path("review-rules/<int:rule_id>/", v.sampling_rule, name="sampling_rule"),
    path("review-rules/<int:rule_id>/active/", v.sampling_rule_switch, name="sampling_rule_switch"),
    path("review-rules/<int:rule_id>/delete/", v.sampling_rule_delete, name="sampling_rule_delete"),
]
