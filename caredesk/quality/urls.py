"""The quality pages, under /w/<workspace>/coaching/ (the Coaching tab): one module per area."""

from caredesk.quality import (
    urls_appeals,
    urls_calibration,
    urls_cases,
    urls_evaluations,
    urls_review,
)

urlpatterns = [
    *urls_evaluations.urlpatterns,
    *urls_review.urlpatterns,
    *urls_appeals.urlpatterns,
    *urls_calibration.urlpatterns,
    *urls_cases.urlpatterns,
]
