"""The Depreciation sheet's chart: D&A by company under the reported lives (solid) and
the economic life in use (dashed), US$bn by calendar year (E = forecast)."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties

from sheets.model.base import Block, Writer

__all__ = ["write_charts"]


def write_charts(w: Writer, a_chart: Block) -> None:
    """A line chart of the annual chart block (series: "<company> reported lives" and
    "<company> economic life"), anchored at M5."""
    ws = w.ws
    chart = LineChart()
    chart.title = (
        "D&A by company: reported lives (solid) vs economic life in use (dashed), US$bn; "
        "E = forecast"
    )
    for name, c in a_chart.columns.items():
        ref = Reference(ws, min_col=c, max_col=c, min_row=a_chart.first - 1, max_row=a_chart.last)
        chart.add_data(ref, titles_from_data=True)
        if name.endswith("economic life"):
            s = chart.series[-1]
            s.graphicalProperties = GraphicalProperties(ln=LineProperties(prstDash="dash"))
    chart.set_categories(
        Reference(ws, min_col=1, max_col=1, min_row=a_chart.first, max_row=a_chart.last)
    )
    chart.y_axis.numFmt = "#,##0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 22, 10
    chart.legend.position = "b"
    ws.add_chart(chart, "M5")
