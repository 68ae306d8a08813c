"""Blocks as one self-contained printable HTML page (no scripts, no external resources).

Bar charts are inline SVG whose segments differ by pattern as well as by shade, so a
black-and-white print still tells them apart; each carries its number as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from partnership.views.document import Bars, Block, Heading, Paragraph, Table, TaskItem, TaskList
from partnership.views.escape import attr, html

CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em; color: #111; font-size: 11pt; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em;
  border-bottom: 1px solid #999; } h3 { font-size: 1em; margin: .8em 0 .2em; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
ul.tasks { list-style: none; padding-left: .5em; margin: .2em 0 .6em; }
.id { font-family: monospace; } .overdue { color: #b00020; font-weight: bold; }
.done { color: #666; } .note { color: #555; } .warning { color: #8a5a00; }
figure.bars { margin: .4em 0 1em; max-width: 100%; } figure.bars svg { max-width: 100%; }
figure.bars figcaption { font-weight: bold; margin-bottom: .3em; }
@media print { body { margin: 0; } h2, h3 { break-after: avoid; }
  tr, figure.bars { break-inside: avoid; } }
@media (max-width: 600px) { body { margin: .5em; } table { display: block; overflow-x: auto; } }
"""

# per series: fill pattern id, and how the segment looks in black and white
_PATTERNS = (
    ("solid", '<rect width="6" height="6" fill="#2f855a"/>'),
    (
        "hatch",
        '<rect width="6" height="6" fill="#fff"/>'
        '<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="#555" stroke-width="1.2"/>',
    ),
    (
        "cross",
        '<rect width="6" height="6" fill="#fed7d7"/>'
        '<path d="M0 0L6 6M6 0L0 6" stroke="#9b2c2c" stroke-width="1"/>',
    ),
    ("blank", '<rect width="6" height="6" fill="#fff"/>'),
)


def page(title: str, language: str, blocks: Iterable[Block]) -> str:
    """A whole HTML page titled ``title`` holding the blocks."""
    lang = "en" if language == "en" else "zh-CN"
    body = "".join(_block(b) for b in blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{attr(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def _block(b: Block) -> str:
    if isinstance(b, Heading):
        return f"<h{b.level}>{html(b.text)}</h{b.level}>\n"
    if isinstance(b, Paragraph):
        if b.style == "strong":
            return f"<p><strong>{html(b.text)}</strong></p>\n"
        cls = f' class="{b.style}"' if b.style else ""
        return f"<p{cls}>{html(b.text)}</p>\n"
    if isinstance(b, Table):
        head = "".join(f"<th>{html(h)}</th>" for h in b.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html(c)}</td>" for c in row) + "</tr>\n" for row in b.rows
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    if isinstance(b, TaskList):
        return '<ul class="tasks">\n' + "".join(_task(i) for i in b.items) + "</ul>\n"
    return "".join(_bars(b))


def _task(item: TaskItem) -> str:
    cls = "overdue" if item.overdue else "done" if item.done else "open"
    state = f" — {html(item.state)}" if item.state else ""
    return (
        f'<li class="{cls}">{"☑" if item.done else "☐"} '
        f'<span class="id">{html(item.id)}</span> {html(item.text)}{state}</li>\n'
    )


def _bars(b: Bars) -> Iterator[str]:
    """A stacked horizontal bar chart in SVG, with a legend, scaled to the largest row."""
    label_w, bar_w, row_h, gap = 230, 520, 22, 8
    legend_h = 26
    height = legend_h + len(b.rows) * (row_h + gap)
    width = label_w + bar_w + 60
    biggest = max((sum(v) for _, v in b.rows), default=0) or 1
    yield f'<figure class="bars"><figcaption>{html(b.title)}</figcaption>\n'
    yield (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="12" '
        f'aria-label="{attr(b.title)}">\n<defs>'
    )
    for pid, shape in _PATTERNS:
        yield (
            f'<pattern id="p-{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f"{shape}</pattern>"
        )
    yield "</defs>\n"
    x = 0
    for k, name in enumerate(b.series):
        pid = _PATTERNS[k % len(_PATTERNS)][0]
        yield (
            f'<rect x="{x}" y="4" width="14" height="14" fill="url(#p-{pid})" '
            f'stroke="#333"/><text x="{x + 18}" y="16">{html(name)}</text>\n'
        )
        x += 30 + 13 * len(name)
    for r, (name, values) in enumerate(b.rows):
        y = legend_h + r * (row_h + gap)
        yield f'<text x="0" y="{y + 15}">{html(name)}</text>\n'
        left = float(label_w)
        for k, value in enumerate(values):
            if not value:
                continue
            w = bar_w * value / biggest
            pid = _PATTERNS[k % len(_PATTERNS)][0]
            ink = "#fff" if pid == "solid" else "#111"
            # a white halo keeps the number readable on a hatched segment
            halo = "" if pid == "solid" else ' stroke="#fff" stroke-width="3" paint-order="stroke"'
            yield (
                f'<rect x="{left:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" '
                f'fill="url(#p-{pid})" stroke="#333"><title>{attr(b.series[k])}: {value}'
                f'</title></rect><text x="{left + w / 2:.1f}" y="{y + 15}" '
                f'text-anchor="middle" fill="{ink}" font-weight="bold"{halo}>{value}</text>\n'
            )
            left += w
    yield "</svg></figure>\n"
