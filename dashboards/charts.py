"""Chart specifications for static/js/charts.js, embedded with json_script (so escaped).

Each spec carries the drill-down link of every point: clicking a number in a chart goes to the
items behind it, as clicking it in the table does."""

import math

from . import metrics
from .tables import Table


def _num(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def rate_bars(table: Table, *, label_key: str, value_key: str, title: str) -> dict:
    """A bar per table row for one rate column, with its interval and the cell's link."""
    values, lows, highs, links, labels = [], [], [], [], []
    for row, row_links in zip(table.rows, table.links, strict=False):
        estimate = row.get(value_key)
        labels.append(str(row.get(label_key)))
        values.append(_num(estimate.value) if estimate else None)
        lows.append(_num(estimate.low) if estimate else None)
        highs.append(_num(estimate.high) if estimate else None)
        links.append(row_links.get(value_key))
    return {
        "type": "bar",
        "labels": labels,
        "series": [{"label": title, "values": values, "low": lows, "high": highs, "links": links}],
        "y": {"min": 0, "max": 1, "label": title, "percent": True},
    }


def weekly_line(table: Table) -> dict:
    spec = rate_bars(table, label_key="week", value_key="agreement", title="Agreement with gold")
    return spec | {"type": "line"}


def reliability(stats: metrics.GroupStats, calibration: Table) -> dict:
    links = [row.get("count") for row in calibration.links]
    points = [
        {"x": b.mean_confidence, "y": b.observed_rate, "n": b.count}
        for b in stats.calibration
        if b.count
    ]
    for point, link in zip(points, links, strict=False):
        point["link"] = link
    return {"type": "reliability", "points": points, "y": {"min": 0, "max": 1, "percent": True}}


def two_series_bars(table: Table, *, keys: tuple[str, str], names: tuple[str, str]) -> dict:
    series = []
    for key, name in zip(keys, names, strict=True):
        values = [row.get(key) for row in table.rows]
        series.append({
            "label": name,
            "values": [_num(v.value) if v else None for v in values],
            "low": [_num(v.low) if v else None for v in values],
            "high": [_num(v.high) if v else None for v in values],
            "links": [links.get(key) for links in table.links],
        })  # fmt: skip
    labels = [str(row.get("code")) for row in table.rows]
    return {
        "type": "bar",
        "labels": labels,
        "series": series,
        "y": {"min": 0, "max": 1, "percent": True},
    }
