"""URLs of the appeals pages, under /w/<workspace>/coaching/ (see quality.urls)."""

urlpatterns: list = []
