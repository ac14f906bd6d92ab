"""The public help center (placeholders of the shared core; the helpcenter branch writes
them)."""

from django.http import Http404


def help_center(request, site):
    raise Http404


def help_search_json(request, site):
    raise Http404


def help_article(request, site, slug):
    raise Http404
