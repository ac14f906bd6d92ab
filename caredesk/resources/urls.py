"""The Resource center tab, under /w/<workspace>/resources/."""

from django.urls import path

from caredesk.resources import search_views, use_views, views

urlpatterns = [
    path("", views.resource_center, name="resource_center"),
    path("search/", search_views.resource_search, name="resource_search"),
    path("suggest/", use_views.resource_suggest, name="resource_suggest"),
    path("articles/new/", views.article_create, name="article_create"),
    path("articles/<int:article>/", views.article_detail, name="article_detail"),
    path(
        "articles/<int:article>/effectiveness/",
        use_views.article_effectiveness,
        name="article_effectiveness",
    ),
    path("quick/", use_views.resource_quick_search, name="resource_quick_search"),
    path("insert/", use_views.resource_insert, name="resource_insert"),
    path(
        "activities/<int:activity>/articles/",
        use_views.activity_articles,
        name="activity_articles",
    ),
]

# The articles branch's pages besides the fixed names above.
urlpatterns += [
    path("articles/preview/", views.article_preview, name="article_preview"),
    path("articles/<int:article>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:article>/restore/", views.article_restore, name="article_restore"),
    path("articles/<int:article>/status/", views.article_status, name="article_status"),
    path("categories/", views.article_categories, name="article_categories"),
    path(
        "categories/<int:category>/",
        views.article_category_change,
        name="article_category_change",
    ),
]
