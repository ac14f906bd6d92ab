"""The public help center, under /help/<organization>.<workspace>/: published public articles
only (anything else answers 404), and the JSON search the chat widget calls."""

from django.urls import path

from caredesk.resources import public_views

urlpatterns = [
    path("<str:site>/", public_views.help_center, name="help_center"),
    path("<str:site>/search.json", public_views.help_search_json, name="help_search_json"),
    path("<str:site>/<str:slug>/", public_views.help_article, name="help_article"),
    # The widget's view of one article (its body as safe HTML).
    path("<str:site>/<str:slug>.json", public_views.help_article_json, name="help_article_json"),
]
