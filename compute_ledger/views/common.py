"""Parts more than one view is made of."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from compute_ledger.i18n import labels_in_every_language, t

# A Period control's options and the labels it shows in English (its URL binding reads and writes the labels: a link
# made in English says `div_period=Year`). The page shows `period_labels()`, in the reader's language.
PERIODS = {"quarter": "Quarter", "year": "Year"}  # untranslated: the English labels links carry


def period_labels() -> dict[str, str]:
    """A Period control's labels in the reader's language (what its URL binding writes)."""
    return {"quarter": t("Quarter"), "year": t("Year")}


def link_in_reader_language(params: Mapping[str, str | Sequence[str]],
                            controls: Mapping[str, Callable[[], Mapping[str, str]]]) -> dict[str, list[str]]:
    """The link's values of the `controls` (param -> its labels function) as the reader's language labels them, for
    the params whose values a binding in another language wrote; a value no language knows stays as it is (the
    page's link check names it). Empty when every value is already in the reader's language."""
    changed = {}
    for param, labels in controls.items():
        raw = params.get(param)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else list(raw)
        current, every = labels(), labels_in_every_language(labels)
        wanted = [current[every[v]] if v in every else v for v in values]
        if wanted != values:
            changed[param] = wanted
    return changed


@dataclass(frozen=True)
class Table:
    """Rows behind a chart, for a sources table: `columns` are shown; `named` rows carry buyer_id/provider_id, to
    which the table adds names for the rows it shows. An empty `label` is the sources table's own ("Data and
    sources", in the reader's language)."""

    rows: pl.DataFrame
    columns: tuple[str, ...]
    label: str = ""
    newest_by: str | None = "announced"
    named: bool = True


@dataclass(frozen=True)
class Card:
    """A headline card that is not a sum of deals (a count, a ratio, a reported figure), with what it is."""

    label: str
    value: str
    help: str
