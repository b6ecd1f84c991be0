"""Plotly figures of the dashboards, built from the rollup DataFrames; pure functions to JSON-ready dicts.

A figure's points may carry a drill-down URL in `customdata`: dashboards.js follows it on click.
"""

import json
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from flask_babel import gettext as _

from schools.hazards.codes import CATEGORIES

FONT = {"family": '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif', "size": 13}
COLORS = {"found": "#0b5cad", "rectified": "#067647", "open": "#b54708", "overdue": "#b42318"}


def _layout(figure: go.Figure, *, height: int = 340, **more) -> dict:
    layout = {
        "template": "plotly_white",
        "font": FONT,
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 30, "b": 40},
        "legend": {"orientation": "h", "y": -0.18},
        "hoverlabel": {"font": FONT},
    }
    figure.update_layout(**(layout | more))
    # pio.to_json turns numpy and dates into plain JSON; the template embeds it with |tojson.
    return json.loads(pio.to_json(figure, validate=False))


def trend(series: pd.DataFrame, drill: Callable[[str, str], str]) -> dict:
    """Found and rectified per month (bars), open and overdue at each month's end (lines)."""
    months = [f"{period:%Y-%m}" for period in series.index]
    figure = go.Figure()
    for name, label, color in (
        ("found", _("Hazards found"), COLORS["found"]),
        ("rectified", _("Rectified"), COLORS["rectified"]),
    ):
        figure.add_bar(
            x=months,
            y=series[name].tolist(),
            name=label,
            marker_color=color,
            customdata=[drill(name, month) for month in months],
        )
    for name, label, color in (
        ("open_end", _("Open at month end"), COLORS["open"]),
        ("overdue_end", _("Overdue at month end"), COLORS["overdue"]),
    ):
        figure.add_scatter(
            x=months,
            y=series[name].tolist(),
            name=label,
            mode="lines+markers",
            line={"color": color, "width": 2},
            customdata=[drill(name, month) for month in months],
        )
    return _layout(figure, barmode="group", xaxis={"type": "category"}, yaxis={"rangemode": "tozero"})


def heatmap(matrix: pd.DataFrame, drill: Callable[[int, str], str]) -> dict | None:
    """Hazards found per category (columns) and child unit (rows); None without children."""
    if matrix.empty:
        return None
    names = matrix.attrs.get("names", {})
    columns = [code for code in matrix.columns if matrix[code].sum() > 0] or list(matrix.columns)
    units = list(matrix.index)
    figure = go.Figure(
        go.Heatmap(
            z=matrix.loc[units, columns].to_numpy(dtype=int).tolist(),
            x=[CATEGORIES.get(code, code) for code in columns],
            y=[names.get(unit, str(unit)) for unit in units],
            customdata=[[drill(unit, code) for code in columns] for unit in units],
            colorscale="Reds",
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    height = max(240, 60 + 28 * len(units))
    return _layout(
        figure,
        height=height,
        margin={"l": 140, "r": 20, "t": 20, "b": 120},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "tickangle": -45},
    )


def rates(children: pd.DataFrame) -> dict | None:
    """Rectification rate and timeliness per child unit (percent); None without children."""
    if children.empty:
        return None
    names = children["name"].tolist()
    figure = go.Figure()
    for name, label, color in (
        ("rectification_rate", _("Rectification rate"), COLORS["rectified"]),
        ("on_time_rate", _("Rectified on time"), COLORS["found"]),
    ):
        values = [None if pd.isna(value) else round(float(value) * 100, 1) for value in children[name]]
        figure.add_bar(x=names, y=values, name=label, marker_color=color)
    return _layout(
        figure,
        barmode="group",
        margin={"l": 50, "r": 20, "t": 40, "b": 120},
        legend={"orientation": "h", "y": 1.12},
        yaxis={"range": [0, 100], "ticksuffix": "%"},
        xaxis={"type": "category", "tickangle": -45},
    )
