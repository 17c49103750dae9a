"""A shared link's values checked against the inputs they feed, before the inputs are drawn.

Streamlit's `bind="query-params"` drops a value its widget cannot take without a word, or truncates it (a 2.5
for a whole-number slider becomes 2). Each page says what its inputs accept; a value that does not fit is named
in a sentence and dropped, so the input shows its default and the user knows why.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal

from compute_ledger import i18n
from compute_ledger.data.problems import shorten
from compute_ledger.i18n import t, tn

# The one rule for every warning about a link's values: name the first few, say how many more.
MAX_NAMED = 5


def named(values: Sequence[str], quote: bool = True) -> str:
    """'a', 'b', 'c', 'd', 'e' and 47 more: the first MAX_NAMED values, each cut to 40 characters, and the count of
    the rest."""
    shown = ", ".join((f"'{shorten(v, 40)}'" if quote else shorten(v, 40)) for v in values[:MAX_NAMED])
    more = len(values) - MAX_NAMED
    return t("{values} and {n} more", values=shown, n=more) if more > 0 else shown


@dataclass(frozen=True)
class InputRange:
    """A slider: from `low` to `high` in steps of `step`."""

    low: float
    high: float
    step: float

    def accepts(self, value: float) -> bool:
        steps = (value - self.low) / self.step
        return self.low <= value <= self.high and abs(steps - round(steps)) < 1e-6


@dataclass(frozen=True)
class Number:
    """A slider's link value: a number on `allowed`; `instead` says what is shown when it is not."""

    allowed: InputRange
    instead: str


@dataclass(frozen=True)
class Choice:
    """A selection's link value: one of the labels the widget shows (`many`: each of several values)."""

    labels: tuple[str, ...]
    instead: str  # what is shown instead
    many: bool = False


@dataclass(frozen=True)
class Flag:
    """A toggle's link value: true or false."""

    instead: str


@dataclass(frozen=True)
class Text:
    """A text input's link value: at most `max_chars` characters."""

    max_chars: int


Accepts = Number | Choice | Flag | Text


@dataclass(frozen=True)
class LinkProblem:
    param: str  # the link parameter to drop, e.g. gap_growth
    message: str
    keep: tuple[str, ...] = ()  # the parameter's values that are used (the rest are dropped from the address)


def _number_fits(raw: str, allowed: InputRange) -> bool:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and allowed.accepts(value)


def _fits(raw: str, accepts: Accepts) -> bool:
    match accepts:
        case Number(allowed, _):
            return _number_fits(raw, allowed)
        case Choice(labels, _, _):
            return raw in labels
        case Flag(_):
            return raw.lower() in ("true", "false")
        case Text(max_chars):
            return len(raw) <= max_chars
    return True


def _number(value: float) -> str:
    """A slider's bound or step as the reader writes it: 0.5 (German 0,5)."""
    return f"{value:g}" if i18n.language() == i18n.DEFAULT_LANGUAGE else format_decimal(value, locale=i18n.locale())


def _problem(param: str, bad: Sequence[str], accepts: Accepts, kept: Sequence[str]) -> str:
    """One sentence naming every value `bad` (the first few, and how many more) and what is shown instead. Made
    when the page runs, in its reader's language (the `instead` words come from the page's view, in it too)."""
    instead = (tn("using the link's other value {values}", "using the link's other values {values}", len(kept),
                  values=named(kept)) if kept else None)
    values = {"param": param, "values": named(bad)}
    match accepts:
        case Number(allowed, default):
            return tn("The link's {param} {values} is not a number from {low} to {high} in steps of {step}; {instead}.",
                      "The link's {param} values {values} are not a number from {low} to {high} in steps of {step}; "
                      "{instead}.", len(bad), low=_number(allowed.low), high=_number(allowed.high),
                      step=_number(allowed.step), instead=instead or default, **values)
        case Choice(labels, default, _):
            return tn("The link's {param} {values} is not one of {labels}; {instead}.",
                      "The link's {param} values {values} are not one of {labels}; {instead}.", len(bad),
                      labels=", ".join(labels), instead=instead or t("showing {what}", what=default), **values)
        case Flag(default):
            return tn("The link's {param} {values} is not true or false; {instead}.",
                      "The link's {param} values {values} are not true or false; {instead}.", len(bad),
                      instead=instead or t("showing {what}", what=default), **values)
        case Text(max_chars):  # too long to quote
            return t("The link's {param} is longer than {max_chars} characters; {instead}.", param=param,
                     max_chars=max_chars, instead=instead or t("ignored"))
    return tn("The link's {param} {values} is ignored.", "The link's {param} values {values} are ignored.", len(bad),
              **values)


def link_problems(params: Mapping[str, str | Sequence[str]], inputs: Mapping[str, Accepts]) -> list[LinkProblem]:
    """The link's values that `inputs` (param -> what it accepts) cannot take, all named, wherever they stand.

    An input that takes one value and is given several keeps the last usable one (`keep`), and the sentence says
    so; an input that takes several keeps every usable one."""
    problems = []
    for param, accepts in inputs.items():
        raw = params.get(param)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else list(raw)
        if not values:
            continue
        many = isinstance(accepts, Choice) and accepts.many
        bad = [v for v in values if not _fits(v, accepts)]
        good = list(dict.fromkeys(v for v in values if _fits(v, accepts)))
        keep = tuple(good) if many else tuple(good[-1:])
        if bad:
            problems.append(LinkProblem(param, _problem(param, bad, accepts, keep), keep))
        elif not many and len(good) > 1:
            problems.append(LinkProblem(param, t("The link gives {param} {n} values ({values}); using the last, "
                                                 "'{last}'.", param=param, n=len(good), values=named(good),
                                                 last=shorten(good[-1], 40)), keep))
    return problems
