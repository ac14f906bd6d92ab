"""URLs of the scorecards settings, under /w/<workspace>/settings/quality/."""

urlpatterns: list = []
