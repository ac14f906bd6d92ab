"""The resource center over REST: /workspaces/{ws}/articles (with versions and translations)
and categories (the articles branch writes it)."""

from ninja import Router

router = Router(tags=["articles"])
