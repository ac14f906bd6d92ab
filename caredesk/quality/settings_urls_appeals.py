"""URLs of the appeals settings, under /w/<workspace>/settings/quality/."""

urlpatterns: list = []
