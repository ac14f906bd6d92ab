"""Markdown written by users (knowledge articles, action plans), shown as HTML.

CommonMark through markdown-it-py with raw HTML off, then an allow-list sanitizer (nh3) as a
second wall: only formatting tags, links (http, https, mailto; rel="noopener noreferrer
nofollow") and images by URL (http, https) survive. The result is safe to mark safe."""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
    "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised just above)


def markdown_text(text: str) -> str:
    """The words of a Markdown text without its markup (excerpts, search snippets, emails)."""
    return html.unescape(nh3.clean(_md.render(text or ""), tags=set())).strip()
