"""URLs of the review pages, under /w/<workspace>/coaching/ (see quality.urls)."""

urlpatterns: list = []
