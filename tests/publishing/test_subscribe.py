"""subscribe.html: both links and a QR code per audience, how-to lines, the agreement's language."""

from __future__ import annotations

from partnership.publishing.feeds import feeds
from partnership.publishing.subscribe import HOWTO, render_subscribe

TOKENS = {"teachers": "a" * 32, "parents": "b" * 32}


def test_every_audience_has_both_links_and_two_codes() -> None:
    chosen = feeds("fire", "https://school.example/cal", TOKENS)
    page = render_subscribe("Fire <& safety>", "en", chosen)
    assert '<html lang="en">' in page
    assert "Fire &lt;&amp; safety&gt;" in page and "<& safety>" not in page
    for f in chosen:
        assert f.url.startswith("https://school.example/cal/fire-")
        assert f.webcal == f.url.replace("https://", "webcal://")
        assert f'href="{f.url}"' in page and f'href="{f.webcal}"' in page
    assert page.count('<svg width="') == 2 * len(chosen)
    assert page.count("<li>") == len(HOWTO)
    assert "DingTalk" in page and "ICSx" in page
    assert render_subscribe("Fire <& safety>", "en", chosen) == page


def test_a_chinese_agreement_gets_a_chinese_page() -> None:
    page = render_subscribe("共建协议", "zh-CN", feeds("fire", "https://x.cn/c", TOKENS))
    assert '<html lang="zh-CN">' in page
    assert "订阅日历：共建协议" in page and "钉钉" in page and "家长" in page
