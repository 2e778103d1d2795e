"""Text that goes into a spreadsheet cell (the xlsx stock report, the admin's CSV exports).

A spreadsheet treats a cell that starts with = + - @ (or a tab or carriage return, which some
of them skip first) as a formula: a product named `=HYPERLINK("https://evil.example", "Open")`
would become a live link, or worse, in the file staff open. Such a value is written with a
leading apostrophe, which spreadsheets read as "this is text" and which a reader sees as such.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """A cell-safe string: without the control characters that xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def csv_cell(value: object) -> str:
    """A value as a CSV cell: text never read as a formula (see above). Only text is
    neutralised: a number such as a journal's -3 is ours, not someone's input, and stays one."""
    if not isinstance(value, str):
        return str(value)
    text = cell_text(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
