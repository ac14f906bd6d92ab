"""URLs of the review settings, under /w/<workspace>/settings/quality/."""

urlpatterns: list = []
