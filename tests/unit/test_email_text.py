"""An HTML email turned into terminal text: blocks, bullets, entities, numbered links."""

from __future__ import annotations

from console.tui.widgets.email_text import looks_like_html, render_html


def test_html_is_rendered_with_links_listed() -> None:
    html = (
        "<html><head><style>p{color:red}</style><title>x</title></head><body>"
        "<h1>Welcome&nbsp;&amp; hello</h1><p>Your code is <b>{####}</b>.</p>"
        "<ul><li>one</li><li>two</li></ul>"
        "<p><a href='https://app.example/confirm?c=1'>Confirm</a> or "
        '<a href="https://app.example/help">help</a></p><script>alert(1)</script>'
        "<img alt='logo' src='x.png'></body></html>"
    )
    text, links = render_html(html)
    assert text.splitlines() == [
        "Welcome\u00a0& hello",
        "",
        "Your code is {####}.",
        "",
        "• one",
        "",
        "• two",
        "",
        "Confirm [1] or help [2]",
        "[image: logo]",
    ]
    assert links == ["https://app.example/confirm?c=1", "https://app.example/help"]


def test_plain_text_is_not_html() -> None:
    assert not looks_like_html("Your code is {####}. 3 < 4 and a <> b")
    assert looks_like_html("<p>x</p>")
