"""Rules every table must keep: pandera checks per column, row rules across columns, and foreign keys.

Findings come back as Problems (file, row, column, message) and are never raised, so callers choose:
the CLI prints them, the app shows them, an upload lists them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from compute_ledger.data.problems import NO_ROW, Problem, shorten
from compute_ledger.data.schema import FOREIGN_KEYS, TABLES, Table
from compute_ledger.i18n import t_later

# Control characters (C0 but tab, line feed and carriage return, which a CSV cell may hold; DEL; C1): invisible in
# an editor, they would reach the screen, the CSV exports and the brief as nothing, or as a terminal's commands.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
PRINTABLE = ("printable",)  # every text column's check, added by `pandera_schema`

# Messages are made with t_later: English here (the command line's words), in each reader's language when shown
# (a loaded ledger's problems are cached for every reader; Problem.said()).
def _pattern_message(column: str, shown: str) -> str:
    if column in ("source_url", "url"):
        return t_later("'{value}' is not an http(s) web address", value=shown)
    if column == "country":
        return t_later("'{value}' is not a two-letter ISO country code (e.g. US)", value=shown)
    if column == "company_id":
        return t_later("'{value}' is not a lowercase slug like 'oracle-oci'", value=shown)
    return t_later("'{value}' has the wrong form (letters, digits, - _ . only)", value=shown)


def _message(column: str, check: str, value: object) -> str:
    shown = shorten(value)
    if check == "not_nullable":
        return t_later("is required but empty")
    if check == "field_uniqueness":
        return t_later("duplicate value '{value}'", value=shown)
    if check == "multiple_fields_uniqueness":
        return t_later("duplicate row (same key as another row)")
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'", check)
        return t_later("'{value}' is not one of: {allowed}", value=shown, allowed=", ".join(allowed))
    if check.startswith("in_range("):
        lo, hi = (b.strip() for b in check[len("in_range("):-1].split(",", 1))
        return t_later("{value} is outside the allowed range {low} to {high}", value=shown,
                       low=lo.removesuffix(".0"), high=hi.removesuffix(".0"))
    if check.startswith("str_matches("):
        return _pattern_message(column, shown)
    if check.startswith("str_length("):
        lo, hi = re.findall(r"\d+", check)[:2]
        return t_later("must be {low} to {high} characters long (got {length})", low=lo, high=hi,
                       length=len(str(value)))
    if check in ("finite", "must be a finite number"):  # untranslated: pandera's check names
        return t_later("{value} is not a finite number", value=shown)
    if check in ("printable", "must not hold control characters"):  # untranslated: pandera's check names
        text = str(value)
        at = next((i for i, c in enumerate(text) if re.match(CONTROL_CHARACTERS, c)), 0)
        return t_later("holds a control character ({code}) at character {position}; remove it (invisible in most "
                       "editors)", code=f"U+{ord(text[at]):04X}", position=at + 1)
    return t_later("'{value}' fails {check}", value=shown, check=check)


def _pandera_check(spec: tuple):
    import pandera.polars as pa  # imported here: only validating needs it, and it takes seconds to load

    kind, *args = spec
    if kind == "finite":
        return pa.Check(lambda data: data.lazyframe.select(pl.col(data.key).is_finite() | pl.col(data.key).is_null()),
                        error="must be a finite number", name="finite")  # untranslated: a check name
    if kind == "printable":
        return pa.Check(lambda data: data.lazyframe.select(~pl.col(data.key).str.contains(CONTROL_CHARACTERS)
                                                           .fill_null(False)),
                        error="must not hold control characters", name="printable")  # untranslated: a check name
    return getattr(pa.Check, kind)(*args)


def pandera_schema(table: Table):
    import pandera.polars as pa

    return pa.DataFrameSchema(
        {c.name: pa.Column(c.dtype, checks=[_pandera_check(spec) for spec in
                                            (*c.checks, *((PRINTABLE,) if c.dtype == pl.String else ()))],
                           nullable=not c.required,
                           unique=table.key == (c.name,))
         for c in table.columns},
        strict=True,
        ordered=False,
        unique=list(table.key) if len(table.key) > 1 else None,
        name=table.name,
    )


def check_table(table: Table, frame: pl.DataFrame, file: str, first_row: int,
                skip: frozenset[tuple[int | str, str]] = frozenset()) -> list[Problem]:
    """Problems of one typed table on its own. `skip` holds (row, column) cells already reported by ingest."""
    problems: list[Problem] = []
    rows_with_unreadable_cells = {row for row, _ in skip}
    reported = set(skip)
    from pandera.errors import SchemaErrors

    try:
        pandera_schema(table).validate(frame, lazy=True)
    except SchemaErrors as err:
        for case in err.failure_cases.iter_rows(named=True):
            index = case["index"]
            row = NO_ROW if index is None else index + first_row
            column = case["column"] if case["column"] in table.column_names else ",".join(table.key)
            if (row, column) in reported:
                continue  # one message per cell: NaN fails both 'finite' and the range
            reported.add((row, column))
            problems.append(Problem(file, row, column, _message(column, case["check"], case["failure_case"])))
    if not frame.is_empty():
        verdicts = frame.select([rule.ok.fill_null(True).alias(str(i)) for i, rule in enumerate(table.row_rules)])
        for i, rule in enumerate(table.row_rules):
            for index in verdicts.with_row_index("_row").filter(~pl.col(str(i)))["_row"].to_list():
                if index + first_row in rows_with_unreadable_cells:
                    continue  # the unreadable cell is the problem to fix first
                problems.append(Problem(file, index + first_row, rule.column, rule.message))
    return sorted(set(problems), key=_order)


def check_references(frames: Mapping[str, pl.DataFrame], files: Mapping[str, str],
                     first_rows: Mapping[str, int], trusted: set[str] | None = None,
                     checked_together: set[str] = frozenset()) -> list[Problem]:
    """Foreign keys across tables: every id a row names must exist where it points.

    Only `trusted` tables (default: all) serve as targets: ids cannot be checked against a broken list.
    A reference between two tables in `checked_together` (files one validated build wrote, both unchanged
    since) was checked by that build and is not checked again.
    """
    trusted = set(frames) if trusted is None else trusted
    problems: list[Problem] = []
    for table, column, target, target_column in FOREIGN_KEYS:
        if table not in frames or target not in trusted or target not in frames:
            continue
        if table in checked_together and target in checked_together:
            continue
        known = frames[target][target_column].drop_nulls().unique().implode()
        dangling = (
            frames[table].with_row_index("_row")
            .filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known))
            .select("_row", column)
        )
        for index, value in dangling.iter_rows():
            problems.append(Problem(files[table], index + first_rows[table], column,
                                    t_later("'{value}' is not a known {column} in {table}", value=shorten(value),
                                            column=target_column, table=target)))
    return problems


def _order(problem: Problem) -> tuple:
    return (problem.file, problem.row if isinstance(problem.row, int) else -1, problem.column, problem.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=_order)


def table_for_file(stem: str) -> Table | None:
    return TABLES.get(stem)
