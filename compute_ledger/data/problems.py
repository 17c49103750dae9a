"""A problem found in a data file, said the same way everywhere: CLI, app and tests."""
from __future__ import annotations

from dataclasses import dataclass

from compute_ledger.i18n import said

NO_ROW = "-"
NO_COLUMN = "-"


@dataclass(frozen=True, order=True)
class Problem:
    """`row` is the CSV line (header = line 1) or the 1-based record of a parquet file; '-' if not about a row."""

    file: str
    row: int | str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"

    def said(self) -> str:
        """The message in the current reader's language. `message` is English (the command line's, the tests'):
        problems found while loading are cached for every reader, so each message keeps its template and values
        (`i18n.t_later`) and is translated when shown; file, row and column stay as they are."""
        return said(self.message)


def shorten(value: object, limit: int = 60) -> str:
    """Quote a cell value for a message without flooding it (a 10 kB cell stays one readable line)."""
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
