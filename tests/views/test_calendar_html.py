"""The printable HTML 校历: self-contained, escaped, one table per term; checked in Chromium too."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import factory
import pytest
from factory import SPRING_FESTIVAL_DUTY, autumn_2024, occurrence, per_term, term

from partnership.model import Agreement
from partnership.plan import Occurrence, Plan
from partnership.schoolcalendar import SchoolCalendar
from partnership.views.calendar_html import FONT_STACK, render_html
from partnership.views.grid import TermGrid, build_grid

TITLE = "永川区消防支队政治部 · 永川区大磨小学 三年共建协议"
EVIL = '<script>alert("x")</script> & 消防'


def agreement(language: str = "zh-CN", term_name: str = "2024—2025学年第一学期") -> Agreement:
    """An autumn term starting on a Sunday, a spring term on a Monday, a provisional 2027 term."""
    return factory.agreement(
        title=TITLE,
        language=language,
        calendar={"brigade_unavailable": [SPRING_FESTIVAL_DUTY]},
        terms=[
            autumn_2024(term_name),
            term("2025-spring", "第二学期", "2025-02-17", "2025-07-04"),
            term("2027-spring", "2027春", "2027-02-22", "2027-06-04"),
        ],
        commitments=[per_term("visit", "走进消防支队")],
    )


def occ(oid: str, day: str, start: dt.time | None, title: str, **kw: Any) -> Occurrence:
    """A hand-made occurrence of 90 minutes (or all day)."""
    return occurrence(oid, day, start, title, minutes=90, **kw)


OCCURRENCES = (
    occ("visit/2024-autumn/1", "2024-10-16", dt.time(14), "走进消防支队", status="done"),
    occ("sports/2024-autumn/1", "2024-11-20", dt.time(9), "消防趣味运动会", status="cancelled"),
    occ("show/national-day-2024", "2024-09-30", dt.time(9), "国庆文艺汇演"),
    occ("show/national-day-2024/lead-up-1", "2024-09-10", None, "节目共创",
        lead_up_of="show/national-day-2024"),
    occ("visit/2025-spring/1", "2025-03-12", dt.time(14), "春季参观消防站"),
    occ("drill/2027", "2027-03-10", dt.time(10), "疏散演练", provisional=True),
    occ("evil/1", "2024-12-04", dt.time(15), EVIL),
)  # fmt: skip

TERMS = ("2024-autumn", "2025-spring", "2027-spring")


def grids(language: str = "zh-CN", term_name: str = "2024—2025学年第一学期") -> list[TermGrid]:
    """Grids of all three fixture terms."""
    a = agreement(language, term_name)
    plan, cal = Plan(a, OCCURRENCES), SchoolCalendar(a)
    return [build_grid(plan, cal, t) for t in TERMS]


class Page(HTMLParser):
    """The parts of the page the tests look at: cells, activities, rows, texts by class."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.cells: dict[str, set[str]] = {}
        self.cell_text: dict[str, str] = {}
        self.activities: dict[str, dict[str, str]] = {}
        self.rows: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._term = ""
        self._cell: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "section":
            self._term = a.get("data-term", "")
            self.rows[self._term] = []
        if tag == "tr" and "data-week" in a:
            self.rows[self._term].append(a["data-week"])
        if tag == "td":
            self._cell = a["data-date"]
            self.cells[self._cell] = set(a["class"].split())
            self.cell_text[self._cell] = ""
        if "data-occurrence" in a:
            self.activities[a["data-occurrence"]] = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self.cell_text[self._cell] += data


def test_page_head_language_charset_and_print_styles() -> None:
    html = render_html(grids(), TITLE)
    assert html.startswith("<!DOCTYPE html>\n")
    assert '<html lang="zh-CN">' in html
    assert '<meta charset="utf-8">' in html
    assert f"<title>{TITLE}</title>" in html
    assert "@page { size: A4 landscape;" in html
    assert "break-before: page" in html
    assert FONT_STACK in html
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        assert font in FONT_STACK
    assert FONT_STACK.endswith("sans-serif")
    english = render_html(grids("en"), "Agreement")
    assert '<html lang="en">' in english


def test_self_contained_no_external_resources() -> None:
    html = render_html(grids(), TITLE).lower()
    for needle in ("http://", "https://", "<link", "@import", "<script", "url(", "src=", "//cdn"):
        assert needle not in html


def test_every_text_is_escaped() -> None:
    html = render_html(grids(term_name=EVIL), EVIL)
    assert "<script>" not in html
    assert (
        html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 消防") == 6
    )  # <title>, 3 × <h1>, term, activity
    page = Page(html)
    assert page.activities["evil/1"]["class"] == "activity status-planned"
    assert page.cell_text["2024-12-04"] == "12-415:00–16:30 " + EVIL


def test_one_section_and_one_row_per_term_week() -> None:
    gs = grids()
    page = Page(render_html(gs, TITLE))
    sections = [a["data-term"] for tag, a in page.tags if tag == "section"]
    assert sections == list(TERMS)
    for g in gs:
        assert page.rows[g.term_id] == [str(w.number) for w in g.weeks]
    assert len(page.rows["2024-autumn"]) == 21
    html = render_html(gs, TITLE)
    assert '<th class="week" scope="row">第0周<span class="span">08-26–09-01</span></th>' in html
    assert '<th class="week" scope="row">第1周<span class="span">02-17–02-23</span></th>' in html
    heads = [
        html.index(f"<th{c}>{d}</th>") for c, d in (("", "周一"), (' class="weekend"', "周日"))
    ]
    assert heads == sorted(heads)


def test_cells_carry_date_and_classes() -> None:
    page = Page(render_html(grids(), TITLE))
    assert page.cells["2024-08-26"] == {"day", "out-of-term"}
    assert page.cells["2024-09-01"] == {"day", "weekend"}
    assert page.cells["2024-09-02"] == {"day"}
    assert page.cells["2024-10-01"] == {"day", "holiday"}
    assert page.cells["2024-10-05"] == {"day", "holiday", "weekend"}
    assert page.cell_text["2024-10-01"] == "10-1国庆节"
    assert page.cells["2024-09-29"] == {"day", "weekend", "workday"}
    assert page.cell_text["2024-09-29"] == "9-29调休上班（国庆节）"
    assert page.cells["2024-11-07"] == {"day", "closure"}
    assert page.cell_text["2024-11-07"] == "11-7期中考试"
    assert page.cells["2025-01-18"] == {"day", "weekend", "out-of-term", "busy"}
    assert page.cell_text["2025-01-18"] == "1-18支队不可用：春节战备"
    assert page.cells["2024-10-16"] == {"day", "has-activity"}
    assert page.cells["2027-03-10"] == {"day", "has-activity", "provisional"}
    assert len(page.cells) == 7 * (21 + 20 + 15)


def test_every_activity_with_id_time_title_and_status() -> None:
    page = Page(render_html(grids(), TITLE))
    assert sorted(page.activities) == sorted(o.id for o in OCCURRENCES)
    done = page.activities["visit/2024-autumn/1"]
    assert done["class"] == "activity status-done" and done["data-status"] == "done"
    assert page.cell_text["2024-10-16"] == "10-1614:00–15:30 走进消防支队 （已完成）"
    assert page.activities["sports/2024-autumn/1"]["class"] == "activity status-cancelled"
    lead = page.activities["show/national-day-2024/lead-up-1"]
    assert "lead-up" in lead["class"].split()
    assert lead["data-lead-up-of"] == "show/national-day-2024"
    assert page.cell_text["2024-09-10"] == "9-10全天 筹备：节目共创"
    assert "provisional" in page.activities["drill/2027"]["class"].split()
    assert page.cell_text["2027-03-10"] == "3-1010:00–11:30 疏散演练 （暂定）"


def test_legend_and_provisional_banner() -> None:
    html = render_html(grids(), TITLE)
    sections = html.split("<section")[1:]
    assert len(sections) == 3
    for s in sections:
        for word in ("图例", "放假", "停课/不可用", "调休上班", "支队不可用", "活动", "暂定"):
            assert f"{word}</" in s or f"{word}：</" in s
    assert 'class="banner provisional"' not in sections[0]
    assert 'class="banner provisional"' not in sections[1]
    assert 'class="banner provisional" role="note">暂定：2027年' in sections[2]


def test_english_page() -> None:
    page = Page(render_html(grids("en"), "Fire partnership"))
    text = "".join(page.text)
    for word in ("Mon", "Sun", "Week 1", "National Day", "make-up workday", "Legend"):
        assert word in text
    assert page.cell_text["2024-10-16"] == "10-1614:00–15:30 走进消防支队 (done)"
    assert "周一" not in text


def test_deterministic_output() -> None:
    assert render_html(grids(), TITLE) == render_html(grids(), TITLE)
    assert render_html([], TITLE).count("<section") == 0


# --- in a real browser -------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture
def browser() -> str:
    """Path of a headless-capable Chromium; missing is a skip, except under CI where it fails."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"no browser found ({', '.join(BROWSERS)}); CI must install chromium")
    pytest.skip(f"no browser found ({', '.join(BROWSERS)})")


def run_browser(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a throwaway profile and no network chatter."""
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def write_page(tmp_path: Path) -> tuple[Path, list[TermGrid]]:
    """The fixture page written to a file a browser can open."""
    gs = grids()
    page = tmp_path / "calendar.html"
    page.write_text(render_html(gs, TITLE), encoding="utf-8")
    return page, gs


@pytest.mark.browser
def test_browser_dom_has_every_week_and_activity(browser: str, tmp_path: Path) -> None:
    page, gs = write_page(tmp_path)
    dom = run_browser(browser, tmp_path, "--dump-dom", page.as_uri()).stdout
    parsed = Page(dom)
    for g in gs:
        assert parsed.rows[g.term_id] == [str(w.number) for w in g.weeks]
    assert sorted(parsed.activities) == sorted(o.id for o in OCCURRENCES)
    text = "".join(parsed.text)
    for o in OCCURRENCES:
        assert o.title in text
    assert "<script>" not in dom


def png_pixels(data: bytes) -> tuple[int, int, set[bytes], int]:
    """Width, height, distinct RGB colours and non-white pixel count of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    colours: set[bytes] = set()
    ink = 0
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        for i in range(0, stride, bpp):
            px = bytes(line[i : i + 3])
            colours.add(px)
            ink += px != b"\xff\xff\xff"
        prev = line
    return width, height, colours, ink


@pytest.mark.browser
def test_browser_screenshot_is_not_blank(browser: str, tmp_path: Path) -> None:
    page, _ = write_page(tmp_path)
    shot = tmp_path / "calendar.png"
    run_browser(browser, tmp_path, f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri())
    width, height, colours, ink = png_pixels(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    assert len(colours) > 50  # text antialiasing plus the holiday, closure and workday shades
    assert ink > width * height // 20
    shades = {bytes.fromhex(c) for c in ("fed7d7", "fefcbf", "e9d8fd")}  # holiday, 调休, closure
    assert shades <= colours


@pytest.mark.browser
def test_browser_prints_one_a4_landscape_page_per_term(browser: str, tmp_path: Path) -> None:
    page, gs = write_page(tmp_path)
    pdf = tmp_path / "calendar.pdf"
    run_browser(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    assert len(pages) == len(gs) == 3
    boxes = {
        tuple(round(float(v)) for v in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    }
    assert boxes == {(842, 595)}  # A4 landscape in points


# --- print: one A4 page a term, 9 pt type; screen: from 360 px -----------------------------


def _print_css() -> str:
    from partnership.views.calendar_html import _CSS

    start = _CSS.index("@media print")
    return _CSS[start : _CSS.index("\n}\n", start)]


def test_printed_type_is_at_least_9pt() -> None:
    from partnership.views.calendar_html import _CSS

    sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)pt", _print_css())]
    assert sizes and min(sizes) >= 9
    assert "font-size: 9pt" in _print_css().split("body {")[1].split("}")[0]
    # nothing shrinks type relatively in print, and nothing on screen goes below 9pt either
    assert not re.search(r"font-size:\s*[\d.]+(em|%|px)", _print_css())
    assert all(float(v) >= 9 for v in re.findall(r"font-size:\s*([\d.]+)pt", _CSS))


def dense_term(per_week: int, weeks: int = 23) -> TermGrid:
    """A term of ``weeks`` weeks with ``per_week`` long-titled activities every week (Tue, Thu,
    Fri), over 中秋, 国庆, 元旦, 春节 and the brigade's 春节 duty."""
    start = dt.date(2024, 9, 2)
    end = start + dt.timedelta(weeks=weeks, days=-3)
    a = factory.agreement(
        calendar={"brigade_unavailable": [SPRING_FESTIVAL_DUTY]},
        terms=[term("long", f"{weeks}周的学期", start.isoformat(), end.isoformat(),
                    closures=[{"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}])],
        commitments=[per_term("visit", "走进消防支队")],
    )  # fmt: skip
    titles = [
        "全国消防日宣传活动：消防安全进校园",
        "消防主题文艺汇演（国庆）联合彩排",
        "应急疏散演练",
    ]
    occurrences = [
        occ(f"visit/{n}-{k}", (start + dt.timedelta(weeks=n, days=(1, 3, 4)[k])).isoformat(),
            dt.time(14), titles[k])
        for n in range(weeks)
        for k in range(per_week)
    ]  # fmt: skip
    g = build_grid(Plan(a, tuple(occurrences)), SchoolCalendar(a), "long")
    assert len(g.weeks) == weeks
    return g


def pdf_pages(browser: str, tmp_path: Path, html: str, name: str) -> int:
    """Pages of ``html`` printed to PDF by Chromium (A4 landscape checked)."""
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    run_browser(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    boxes = {
        tuple(round(float(v)) for v in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    }
    assert boxes == {(842, 595)}
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.mark.browser
def test_browser_prints_the_example_one_page_per_term(browser: str, tmp_path: Path) -> None:
    from partnership.loader import load_agreement
    from partnership.placement import place

    a = load_agreement(factory.EXAMPLE)
    cal = SchoolCalendar(a)
    plan = place(a, cal)
    gs = [build_grid(plan, cal, t.id) for t in cal.terms]
    assert pdf_pages(browser, tmp_path, render_html(gs, a.agreement.title), "all") == len(gs)
    for g in gs:
        assert pdf_pages(browser, tmp_path, render_html([g], a.agreement.title), g.term_id) == 1


@pytest.mark.browser
@pytest.mark.parametrize("per_week", [0, 1, 3])
def test_browser_prints_a_23_week_term_on_one_page(
    browser: str, tmp_path: Path, per_week: int
) -> None:
    g = dense_term(per_week)
    html = render_html([g, dense_term(1, 20)], TITLE)
    assert pdf_pages(browser, tmp_path, html, f"dense{per_week}") == 2


CHECK_LAYOUT = """<script>
(() => {
  const bad = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) bad.push("page " + width + " > " + window.innerWidth);
  const inside = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 &&
    r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  let checked = 0;
  for (const cell of document.querySelectorAll("td, th, .legend li, h1, h2, .banner")) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0) continue;
    if (cell.scrollWidth > cell.clientWidth + 1) bad.push("overflow " + cell.textContent);
    const parts = [...cell.children].map(e => e.getBoundingClientRect())
      .filter(r => r.width > 0);
    parts.forEach((r, i) => {
      checked++;
      if (!inside(r, box)) bad.push("outside " + cell.textContent);
      parts.slice(i + 1).forEach(o => { if (hit(r, o)) bad.push("overlap " + cell.textContent); });
    });
  }
  document.body.setAttribute("data-layout", bad.length ? bad.join(" | ") : "ok " + checked);
})();
</script>"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_browser_screen_layout_has_no_overlap(browser: str, tmp_path: Path, width: int) -> None:
    html = render_html([*grids(), dense_term(3)], TITLE)
    page = tmp_path / "screen.html"
    page.write_text(html.replace("</body>", CHECK_LAYOUT + "</body>"), encoding="utf-8")
    dom = run_browser(
        browser, tmp_path, f"--window-size={width},900", "--dump-dom", page.as_uri()
    ).stdout
    found = re.search(r'data-layout="([^"]*)"', dom)
    assert found is not None, dom[:500]
    assert found.group(1).startswith("ok "), found.group(1)[:2000]
    assert int(found.group(1).split()[1]) > 100


def test_dense_terms_print_compact_cells_and_sparse_ones_do_not() -> None:
    from partnership.views.calendar_html import PRINT_LINES, printed_lines

    dense, sparse = dense_term(3), dense_term(0)
    assert printed_lines(dense, compact=False) > PRINT_LINES
    assert printed_lines(dense, compact=True) < printed_lines(dense, compact=False) - 15
    assert 23 <= printed_lines(sparse, compact=False) <= PRINT_LINES
    page = Page(render_html([dense], TITLE))
    first = page.activities["visit/0-0"]
    assert first["class"] == "activity status-planned"
    html = render_html([dense], TITLE)
    assert '<span class="date">9-3</span> <span class="time">14:00</span>' in html
    assert '<span class="date">' not in render_html([sparse], TITLE)
    assert '<div class="date">9-3</div>' in render_html([sparse], TITLE)


def test_weekend_columns_widen_when_a_weekend_holds_an_activity() -> None:
    assert 'class="grid busy-weekends"' not in render_html(grids(), TITLE)
    a = agreement()
    saturday = occ("visit/2024-autumn/1", "2024-10-12", dt.time(9), "周六活动")
    g = build_grid(Plan(a, (saturday,)), SchoolCalendar(a), "2024-autumn")
    assert '<table class="grid busy-weekends">' in render_html([g], TITLE)
