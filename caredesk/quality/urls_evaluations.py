"""URLs of the evaluations pages, under /w/<workspace>/coaching/ (see quality.urls)."""

urlpatterns: list = []
