"""URLs of the calibration pages, under /w/<workspace>/coaching/ (see quality.urls)."""

urlpatterns: list = []
