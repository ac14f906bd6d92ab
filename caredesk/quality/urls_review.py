"""URLs of the review pages, under /w/<workspace>/coaching/ (see quality.urls)."""

from django.urls import path

from caredesk.quality import views_review as v

urlpatterns: list = [
    path("review/", v.review_queue, name="review_queue"),
    path("review/<int:item_id>/claim/", v.review_claim, name="review_claim"),
    path("review/<int:item_id>/release/", v.review_release, name="review_release"),
    path("review/<int:item_id>/skip/", v.review_skip, name="review_skip"),
]
