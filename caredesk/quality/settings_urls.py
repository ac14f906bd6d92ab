"""Quality settings, under /w/<workspace>/settings/quality/: one module per area."""

from caredesk.quality import settings_urls_appeals, settings_urls_review, settings_urls_scorecards

urlpatterns = [
    *settings_urls_scorecards.urlpatterns,
    *settings_urls_review.urlpatterns,
    *settings_urls_appeals.urlpatterns,
]
