"""``subscribe.html``: per audience the webcal:// and https:// links of its feed, with QR codes.

The QR codes are inline SVG made by segno (pure Python): the page needs nothing from
outside and can be printed for a parents' meeting. Texts follow the agreement's
language (templates/subscribe.toml); the same feeds always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files

from partnership.i18n import pick
from partnership.publishing.feeds import Feed
from partnership.views.escape import html_escape as escape

HOWTO = ("iphone", "android", "outlook", "google", "apps")

_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  margin: 16px; color: #1a1a1a; max-width: 60em; }
section.feed { border: 1px solid #999; padding: 8px 12px; margin: 12px 0;
  break-inside: avoid; page-break-inside: avoid; }
.codes { display: flex; gap: 24px; flex-wrap: wrap; }
figure { margin: 0; }
figcaption { font-size: 10pt; max-width: 18em; }
figcaption a, code { word-break: break-all; }
svg.segno { display: block; }
"""


@cache
def _texts() -> dict[str, dict[str, dict[str, str]]]:
    import tomllib  # only a build with feeds has this page

    data = files("partnership").joinpath("templates/subscribe.toml").read_text("utf-8")
    return tomllib.loads(data)


def text(section: str, key: str, language: str, **params: str) -> str:
    """A text of the page (or of the link to it) in the agreement's language."""
    pair = _texts()[section][key]
    return pick(language, pair["zh"], pair["en"]).format(**params)


def render_subscribe(title: str, language: str, chosen: Sequence[Feed]) -> str:
    """The whole page: a section per audience with both links and codes, then the how-to."""
    lang = "en" if language == "en" else "zh-CN"
    heading = text("page", "title", language, title=title)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(heading)}</h1>",
        f"<p>{escape(text('page', 'intro', language))}</p>",
    ]
    for feed in chosen:
        parts.extend(_feed(feed, language))
    parts.append(f"<h2>{escape(text('page', 'howto', language))}</h2>")
    parts.append("<ul>")
    parts += [f"<li>{escape(text('howto', k, language))}</li>" for k in HOWTO]
    parts.append("</ul>")
    back = escape(text("page", "back", language))
    parts += [f'<p><a href="calendar.html">{back}</a></p>', "</body>", "</html>", ""]
    return "\n".join(parts)


def _feed(feed: Feed, language: str) -> Iterator[str]:
    name = text("audience", feed.audience, language)
    yield f'<section class="feed" data-audience="{feed.audience}">'
    yield f"<h2>{escape(name)}</h2>"
    yield '<div class="codes">'
    for kind, link in (("webcal", feed.webcal), ("https", feed.url)):
        yield f'<figure class="{kind}">'
        yield _qr(link)
        caption = escape(text("page", kind, language))
        yield f'<figcaption>{caption}<br><a href="{escape(link)}">{escape(link)}</a></figcaption>'
        yield "</figure>"
    yield "</div>"
    yield "</section>"


def _qr(link: str) -> str:
    """The link as a QR code in inline SVG (error correction M, a quiet zone of 4 modules)."""
    import segno

    code = segno.make(link, error="m", micro=False)
    return str(code.svg_inline(scale=4, title=link))
