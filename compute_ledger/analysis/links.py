"""A shared link's values checked against the inputs they feed, before the inputs are drawn.

Streamlit's `bind="query-params"` drops a value its widget cannot take without a word, or truncates it (a 2.5
for a whole-number slider becomes 2). Each page says what its inputs accept; a value that does not fit is named
in a sentence and dropped, so the input shows its default and the user knows why.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from compute_ledger.data.problems import shorten


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


def _number_fits(raw: str, allowed: InputRange) -> bool:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and allowed.accepts(value)


def _problem(param: str, raw: str, accepts: Accepts) -> str | None:
    said = f"The link's {param} '{shorten(raw, 40)}'"
    match accepts:
        case Number(allowed, instead) if not _number_fits(raw, allowed):
            return (f"{said} is not a number from {allowed.low:g} to {allowed.high:g} in steps of "
                    f"{allowed.step:g}; {instead}.")
        case Choice(labels, instead, _) if raw not in labels:
            return f"{said} is not one of {', '.join(labels)}; showing {instead}."
        case Flag(instead) if raw.lower() not in ("true", "false"):
            return f"{said} is not true or false; showing {instead}."
        case Text(max_chars) if len(raw) > max_chars:
            return f"The link's {param} is longer than {max_chars} characters; ignored."
    return None


def link_problems(params: Mapping[str, str | Sequence[str]], inputs: Mapping[str, Accepts]) -> list[LinkProblem]:
    """The link's values that `inputs` (param -> what it accepts) cannot take, each named in a sentence."""
    problems = []
    for param, accepts in inputs.items():
        raw = params.get(param)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else list(raw)
        if not values:
            continue
        if not (isinstance(accepts, Choice) and accepts.many):
            values = values[-1:]  # a single-value input reads the last one, as the binding does
        message = next((m for v in values if (m := _problem(param, v, accepts))), None)
        if message:
            problems.append(LinkProblem(param, message))
    return problems
