"""Coaching tab pages, under /w/<workspace>/coaching/."""

urlpatterns: list = []
