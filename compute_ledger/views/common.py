"""Parts more than one view is made of."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl


# A Period control's options and the labels it shows (its URL binding reads and writes the labels).
PERIODS = {"quarter": "Quarter", "year": "Year"}


@dataclass(frozen=True)
class Table:
    """Rows behind a chart, for a sources table: `columns` are shown; `named` rows carry buyer_id/provider_id, to
    which the table adds names for the rows it shows."""

    rows: pl.DataFrame
    columns: tuple[str, ...]
    label: str = "Data and sources"
    newest_by: str | None = "announced"
    named: bool = True


@dataclass(frozen=True)
class Card:
    """A headline card that is not a sum of deals (a count, a ratio, a reported figure), with what it is."""

    label: str
    value: str
    help: str
