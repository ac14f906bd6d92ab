"""URLs of the calibration pages, under /w/<workspace>/coaching/ (see quality.urls)."""

from django.urls import path

from caredesk.quality import views_calibration as views

urlpatterns = [
    path("calibrations/", views.calibration_list, name="calibration_list"),
    path("calibrations/new/", views.calibration_new, name="calibration_new"),
    path("calibrations/<int:session_id>/", views.calibration_detail, name="calibration_detail"),
    path("calibrations/<int:session_id>/score/", views.calibration_score, name="calibration_score"),
    path("calibrations/<int:session_id>/close/", views.calibration_close, name="calibration_close"),
]
