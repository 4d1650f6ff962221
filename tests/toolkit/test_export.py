import io

import pypdf

from toolkit.export import blank_pdf, board_grid, board_html, tool_pdf
from toolkit.models import CausalLink, Outcome, ToolTemplate

from .factories import CausalLinkFactory, EntryFactory, OutcomeFactory, ToolInstanceFactory, tool_template


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace(
        "\n", " "
    )


def test_canvas_pdf_is_a3_landscape_with_block_titles_and_entries(sbmc):
    EntryFactory(instance=sbmc, block_key="revenue", text="Sales to grocery shops")
    data = tool_pdf(sbmc)
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert round(width / 72 * 25.4) == 420  # A3 landscape: 420 x 297 mm
    assert round(height / 72 * 25.4) == 297
    text = pdf_text(data)
    for label in sbmc.template.blocks.values_list("label", flat=True):
        assert label in text, label
    assert "Sales to grocery shops" in text
    assert "CC BY-SA" in text


def test_every_canvas_template_prints(project):
    for template in ToolTemplate.objects.filter(kind="canvas"):
        tool = ToolInstanceFactory(project=project, template=template)
        text = pdf_text(tool_pdf(tool))
        for label in template.blocks.values_list("label", flat=True):
            assert label.split(":")[0] in text, (template.slug, label)


def test_toc_pdf_has_diagram_and_table(toc, indicator):
    impact = OutcomeFactory(instance=toc, level=Outcome.Level.IMPACT, text="Women earn a living")
    early = OutcomeFactory(instance=toc, level=Outcome.Level.EARLY, text="Women price their products")
    early.indicators.add(indicator)
    CausalLinkFactory(
        source=early, target=impact, rationale="Right prices bring sales", kind=CausalLink.Kind.CAUSAL
    )
    text = pdf_text(tool_pdf(toc))
    assert "Outcomes, indicators and assumptions" in text
    assert "Women selling at the market" in text
    assert "Right prices bring sales" in text
    assert "Impact" in text


def test_board_html_is_a_fragment(sbmc):
    html = board_html(sbmc)
    assert html.lstrip().startswith('<section class="tk-print-board">')
    assert "<html" not in html


def test_blank_canvas_has_questions_and_no_entries(db):
    template = tool_template("sbmc")
    text = pdf_text(blank_pdf(template))
    assert "Key resources" in text
    assert "Who benefits from your intervention?" in text


def test_blank_theory_of_change_prints_its_levels(db):
    text = pdf_text(blank_pdf(tool_template("theory-of-change")))
    assert "Early outcomes" in text


def test_board_grid_is_a_table_without_empty_rows_or_overhanging_spans(db):
    """WeasyPrint drops an empty <tr>; a rowspan over it then pushes the last row's blocks off the
    table (the SBMC's revenue vanished from project PDFs). Every row must hold a block, and the
    rowspans and colspans must tile the layout exactly."""
    for template in ToolTemplate.objects.all():
        rows = board_grid(template)
        occupied = [[False] * template.layout_columns for _ in rows]
        for index, cells in enumerate(rows):
            assert cells, (template.slug, index)
            column = 0
            for cell in cells:
                while column < template.layout_columns and occupied[index][column]:
                    column += 1
                assert index + cell["rowspan"] <= len(rows), (template.slug, cell)
                for row in range(index, index + cell["rowspan"]):
                    for spanned in range(column, column + cell["colspan"]):
                        assert not occupied[row][spanned], (template.slug, cell)
                        occupied[row][spanned] = True
                column += cell["colspan"]
        assert all(all(row) for row in occupied), template.slug


def test_canvas_prints_without_weasyprint_dropping_cells(sbmc, caplog):
    for block in sbmc.template.blocks.all():
        EntryFactory(instance=sbmc, block_key=block.key, text=f"Entry for {block.key}")
    with caplog.at_level("WARNING", logger="weasyprint"):
        text = pdf_text(tool_pdf(sbmc))
    assert not [r for r in caplog.records if "more columns" in r.getMessage()]
    for block in sbmc.template.blocks.all():
        assert f"Entry for {block.key}" in text
