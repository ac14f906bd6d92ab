"""What higher apps do when an article is written: they register here (in their AppConfig.ready),
since the resource center may not import them (layers).

Each hook is called as `hook(article, params, access=access)` inside the transaction that
created the article: `params` are the request's parameters (a mapping of str → str, e.g.
{"plan_task": "12"}), `access` the writer's. A hook raising FieldErrors undoes the creation."""

from collections.abc import Callable, Mapping

article_created_hooks: list[Callable[..., None]] = []


def run_article_created(article, params: Mapping[str, str] | None, *, access) -> None:
    for hook in article_created_hooks:
        hook(article, params or {}, access=access)
