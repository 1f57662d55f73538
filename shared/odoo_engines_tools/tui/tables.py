"""Filling a DataTable with data (never read as markup) without losing the operator's place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable


def selected_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, or None when the table is empty."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def show_rows(table: DataTable, rows: Iterable[tuple[str, Sequence[str]]]) -> None:
    """Replace the rows (key, cells) and keep the cursor on the same key when it is still there."""
    keep = selected_key(table) if table.cursor_type == "row" else None
    table.clear()
    index = 0
    for position, (key, cells) in enumerate(rows):
        # Text, not str: a cell holding "[...]" must show as typed, not as markup
        table.add_row(*(Text(str(cell)) for cell in cells), key=key)
        if key == keep:
            index = position
    if table.row_count and table.cursor_type == "row":
        table.move_cursor(row=index)
