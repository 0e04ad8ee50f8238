"""An HTML email as a terminal reader would want it: readable text, links listed.

A trigger's email body is usually HTML. The outbox shows it rendered (block
elements as line breaks, list items as bullets, scripts and styles dropped,
entities decoded, each link numbered ``[1]`` with its target listed at the
end) or as its source. The result is still untrusted text: the caller shows
it through :func:`console.text.visible`, never as markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["looks_like_html", "render_html"]

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "hr",
        "title",
        "pre",
    ]
)
_SKIPPED = frozenset(("script", "style", "head"))
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[^>]*>")


def looks_like_html(text: str) -> bool:
    """Whether *text* has HTML tags worth rendering."""
    return bool(_TAG.search(text))


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
            return
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        if tag == "a":
            self._href = dict(attrs).get("href")
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[image: {alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "a" and self._href:
            self.links.append(self._href)
            self.parts.append(f" [{len(self.links)}]")
            self._href = None
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def render_html(html: str) -> tuple[str, list[str]]:
    """The readable text of *html* and the links it holds, numbered in order."""
    renderer = _Renderer()
    renderer.feed(html)
    renderer.close()
    text = "".join(renderer.parts)
    lines = [line.strip() for line in text.split("\n")]
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    return "\n".join(collapsed).strip("\n"), renderer.links
