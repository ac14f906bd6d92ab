"""Coaching settings (who coaches whom), under /w/<workspace>/settings/coaches/."""

urlpatterns: list = []
