import datetime as dt
import re

from sempre import charts


def test_bar_chart_is_an_accessible_svg_without_script():
    svg = charts.bar_chart(
        title="Participants by country", labels=["Sweden", "Latvia"], series={"People": [10, 20]}
    )

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="chart-title-' in svg
    assert "Sweden: 10, Latvia: 20" in svg  # the <desc> reads the numbers
    assert "<script" not in svg
    assert "Pygal" not in svg


def test_chart_text_is_escaped():
    svg = charts.bar_chart(title="<b>x</b>", labels=["<i>"], series={"a&b": [1]})

    assert "<b>x</b>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg


def test_stacked_bar_and_line_charts_render():
    stacked = charts.stacked_bar_chart(title="Gender", labels=["2025"], series={"Women": [3], "Men": [4]})
    months = [dt.date(2025, m, 1) for m in (1, 2, 3)]
    line = charts.line_chart_by_month(title="Over time", months=months, series={"People": [1, None, 3]})

    assert "stackedbar-graph" in stacked
    assert "line-graph" in line
    assert "January 2025" in line


def test_line_chart_of_a_year_labels_months_short_and_starts_at_zero():
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    line = charts.line_chart_by_month(
        title="Over time", months=months, series={"People": [100 + m for m in range(12)], "Hours": [90] * 12}
    )

    assert ">Dec 2025<" in line  # short on the axis, so the rotated labels leave room for the legend
    assert ">December 2025<" not in line
    assert "December 2025: 111" in line  # the description keeps the full names
    assert ">0<" in line  # counts start at zero
    assert ">Hours<" in line  # the legend


def test_progress_bars_cap_at_full_width_and_show_missing_values():
    svg = charts.progress_bars(
        title="Progress", items=[("Reached", 150), ("Half", 50), ("Unknown", None)], width=800
    )

    bar_width = int(800 * 0.42)
    assert f'width="{bar_width:.1f}"' in svg or f'width="{bar_width}.0"' in svg
    assert f'width="{bar_width * 0.5:.1f}"' in svg
    assert "no measurement" in svg
    assert "150 %" in svg


def test_data_table_has_headers_and_escapes():
    table = charts.data_table(
        caption="Numbers", labels=["<x>"], series={"Count": [1234]}, label_heading="Item"
    )

    assert "<caption>Numbers</caption>" in table
    assert '<th scope="row">&lt;x&gt;</th>' in table
    assert '<th scope="col">Count</th>' in table
    assert "1,234" in table


def test_figure_wraps_svg_and_table():
    svg = charts.bar_chart(title="T", labels=["a"], series={"s": [1]})
    html = charts.figure(svg=svg, table=charts.data_table(caption="T", labels=["a"], series={"s": [1]}))

    assert html.startswith('<figure class="chart">')
    assert "<details" in html
    assert "Show the data as a table" in html


def test_two_charts_share_no_element_id():
    """A page or a PDF with several charts must not name an element twice (WeasyPrint warns,
    screen readers and anchors get the wrong one)."""
    series = {"Participants": [3, 4], "New": [1, 2]}
    first = charts.bar_chart(title="A", labels=["x", "y"], series=series)
    second = charts.bar_chart(title="B", labels=["x", "y"], series=series)

    ids = re.findall(r'\bid="([^"]+)"', str(first) + str(second))
    assert ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
