"""Shared labels in both languages."""

from __future__ import annotations

import datetime as dt

from partnership.i18n import label, time_range, week, weekday


def test_labels_in_both_languages_and_unknown_keys_unchanged() -> None:
    assert label("parents", "zh-CN") == "家长" and label("parents", "en") == "parents"
    assert label("cancelled", "zh-CN") == "已取消"
    assert label("no-such-key", "en") == "no-such-key"


def test_weekday_week_and_time_labels() -> None:
    day = dt.date(2024, 10, 16)  # a Wednesday
    assert weekday(day, "zh-CN") == "周三" and weekday(day, "en") == "Wed"
    assert week(7, "zh-CN") == "第7周" and week(7, "en") == "Week 7"
    assert time_range(dt.time(14), dt.time(16, 30), "zh-CN") == "14:00–16:30"
    assert time_range(None, None, "zh-CN") == "全天" and time_range(None, None, "en") == "all day"


def test_month_day_and_clock_write_what_strftime_writes() -> None:
    from partnership.i18n import clock, month_day

    day = dt.date(2024, 1, 1)
    for n in range(366):
        d = day + dt.timedelta(days=n)
        assert month_day(d) == d.strftime("%m-%d")
    for h in range(24):
        for m in (0, 5, 30, 59):
            assert clock(dt.time(h, m)) == dt.time(h, m).strftime("%H:%M")


def test_view_labels_come_from_the_catalogue_in_the_agreements_language() -> None:
    from partnership.i18n import text
    from partnership.messages import catalogue

    assert text("report.title", "zh-CN") == "共建协议履约报告"
    assert text("report.title", "en") == "Partnership fulfilment report"
    assert text("calendar.colon", "en") == ": " and text("calendar.colon", "zh-CN") == "："
    assert text("plan.why", "en") == "Why this date"
    # a view's table is not a shared label: only the shared labels' own keys are
    assert label("report", "en") == "report" and "labels.report" not in catalogue()
