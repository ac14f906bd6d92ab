"""URLs of the scorecards settings, under /w/<workspace>/settings/quality/."""

from django.urls import path

from caredesk.quality import views_scorecards as v

urlpatterns = [
    path("scorecards/", v.scorecard_list, name="scorecard_settings"),
    path("scorecards/new/", v.scorecard_new, name="scorecard_new"),
    path("scorecards/<int:scorecard_id>/", v.scorecard_edit, name="scorecard_edit"),
    path("scorecards/<int:scorecard_id>/switch/", v.scorecard_switch, name="scorecard_switch"),
    path("scorecards/<int:scorecard_id>/preview/", v.scorecard_preview, name="scorecard_preview"),
    path(
        "scorecards/<int:scorecard_id>/versions/",
        v.scorecard_versions,
        name="scorecard_versions",
    ),
    path(
        "scorecards/<int:scorecard_id>/versions/<int:number>/",
        v.scorecard_version,
        name="scorecard_version",
    ),
    path("scorecards/<int:scorecard_id>/rescore/", v.scorecard_rescore, name="scorecard_rescore"),
    path(
        "scorecards/<int:scorecard_id>/rescores/<int:job_id>/",
        v.scorecard_rescore_job,
        name="scorecard_rescore_job",
    ),
]
