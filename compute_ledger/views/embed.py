"""One chart alone, for an <iframe> or a shared link: `embed_view(tables, deal_filter, name, params, today)`.

A registry maps each chart's name to the page it comes from and a function that builds it with that page's own
view (the same view, the same figure function, the same page inputs): `CHARTS`. The page inputs arrive in the link
exactly as the page keeps them (its widgets' URL binding: labels for choices, true/false for toggles, numbers for
sliders); values a page's input cannot take are found by that page's own check (`input_problems`, the functions the
pages use) and dropped with a warning before the chart is built, so here every value read is usable.
Every sentence is written in the reader's language: `embed_view` runs inside the language of the run that asks
(`loading.page_view` keys its cache by language), and so do the page views it calls.
No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import gap_model
from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.analysis.links import LinkProblem
from compute_ledger.i18n import t
from compute_ledger.views import capacity, commitments, company, diversification, exposure, gap, overview
from compute_ledger.views.common import period_labels

Params = Mapping[str, tuple[str, ...]]
QP_CHART = "chart"
# Parameters of the embed itself, never passed on to the full view's link.
EMBED_PARAMS = (QP_CHART, "embed", "embed_options")


@dataclass(frozen=True)
class Embedded:
    title: str  # the page's own sentence above the chart: Markdown it wrote (fmt.Markdown), or plain text
    figure: go.Figure | None  # None: nothing to draw under this filter, and `empty` says why
    empty: str = ""
    caption: str = ""  # likewise: fmt.Markdown, or plain text (the embed page shows it as text)


@dataclass(frozen=True)
class EmbedChart:
    page: str  # the page file (the link back opens it)
    url_path: str  # its address under the app ("" for the Overview)
    build: Callable[[Mapping[str, pl.DataFrame], DealFilter, Params, dt.date], Embedded]
    is_map: bool = False


@dataclass(frozen=True)
class EmbedView:
    name: str
    chart: EmbedChart | None  # None: unknown name
    shown: Embedded | None
    unknown: str  # the warning for an unknown chart name ("" otherwise)


def _last(params: Params, key: str) -> str | None:
    values = params.get(key) or ()
    return values[-1] if values else None


def _choice(params: Params, key: str, labels: Callable[[], Mapping[str, str]], default: str) -> str:
    """A choice's value from its label in the link (what the widget's URL binding writes), in the language the
    link was made in: a German reader's link says `div_period=Jahr`, an English one `Year`."""
    return i18n.labels_in_every_language(labels).get(_last(params, key) or "", default)


def _flag(params: Params, key: str, default: bool) -> bool:
    raw = _last(params, key)
    return default if raw is None else raw.lower() == "true"


# --- each page's charts -----------------------------------------------------------------------------------------

def _overview(tables, deal_filter, params, today) -> Embedded:
    view = overview.overview_view(tables, deal_filter, None)
    if view.deals == 0:
        return Embedded(view.takeaway, None, t("No deals match this filter."))
    return Embedded(view.takeaway, view.chart, caption=view.undisclosed_caption)


def _div_inputs(params: Params) -> tuple[bool, str]:
    return (_flag(params, "div_equity", True), _choice(params, "div_period", period_labels, "quarter"))


def _div_chart(pick: Callable[[diversification.DiversificationView], tuple[str, diversification.Chart]]):
    def build(tables, deal_filter, params, today) -> Embedded:
        view = diversification.diversification_view(tables, deal_filter, *_div_inputs(params))
        title, chart = pick(view)
        return Embedded(title, chart.figure, chart.empty, chart.caption)
    return build


def _div_history(tables, deal_filter, params, today) -> Embedded:
    view = diversification.diversification_view(tables, deal_filter, *_div_inputs(params))
    by_name = {name: buyer for buyer, name in view.buyer_names.items()}
    focus = by_name.get(_last(params, "div_buyer") or "", view.default_buyer)
    if focus is None:
        return Embedded(t("How one buyer's supply spread out"), None, t("No supply deals match this filter."))
    history = diversification.buyer_view(tables, deal_filter, *_div_inputs(params), focus,
                                         _flag(params, "div_percent", False)).history
    return Embedded(fmt.markdown(t("How {name}'s supply spread out"), name=view.buyer_names[focus]), history.figure,
                    history.empty, history.caption)


def _div_problems(tables, deal_filter, params) -> list[LinkProblem]:
    view = diversification.diversification_view(tables, deal_filter, *_div_inputs(params))
    return diversification.controls_link_problems(params) + view.buyer_link_problems(params)


def _commitments(pick: str):
    def build(tables, deal_filter, params, today) -> Embedded:
        term = _last(params, "cmt_term")
        view = commitments.commitments_view(
            tables, deal_filter, _choice(params, "cmt_measure", commitments.measure_labels, "usd"),
            _choice(params, "cmt_period", period_labels, "quarter"),
            _choice(params, "cmt_group", commitments.group_choice_labels, "provider"), _flag(params, "cmt_log", False),
            int(float(term)) if term else DEFAULT_TERM_YEARS, today)
        section = getattr(view, pick)
        return Embedded(section.title, section.figure, section.empty, "  \n".join(section.captions))
    return build


def _capacity(figure: str, title: str, caption: str = ""):
    def build(tables, deal_filter, params, today) -> Embedded:
        view = capacity.capacity_view(tables, deal_filter, today)
        shown = getattr(view, title)
        return Embedded(shown if shown else "", getattr(view, figure),
                        view.empty or t("Nothing to draw for this selection."),
                        getattr(view, caption) if caption else "")
    return build


def _gap(figure: str, title: str, caption: str = ""):
    def build(tables, deal_filter, params, today) -> Embedded:
        controls = gap.gap_controls(tables, deal_filter)
        if not controls.buyers:
            return Embedded(t("The infrastructure gap"), None, controls.no_buyer)
        by_label = {controls.label(b): b for b in controls.buyers}
        buyer = by_label.get(_last(params, gap.KEY_BUYER) or "", controls.preferred)
        preset = i18n.labels_in_every_language(gap_model.preset_names).get(_last(params, gap.KEY_PRESET) or "")
        if preset not in controls.preset_names:  # none in the link, or one this page does not offer
            preset = next(iter(controls.preset_names))
        values = [float(_last(params, s.key)) if _last(params, s.key) else s.value
                  for s in controls.sliders(buyer, preset)]
        view = gap.gap_view(tables, deal_filter, buyer, preset, *values)
        if view.empty:
            return Embedded(t("The infrastructure gap"), None, view.empty)
        return Embedded(getattr(view, title), getattr(view, figure), "",
                        getattr(view, caption) if caption else "")
    return build


def _gap_problems(tables, deal_filter, params) -> list[LinkProblem]:
    controls = gap.gap_controls(tables, deal_filter)
    # A preset named in the link's other language is the same preset (the Gap page rewrites it before its check).
    named = controls.preset_in_this_language(params)
    return controls.link_problems({**params, gap.KEY_PRESET: [named]} if named else params)


def _company(section_key: str):
    def build(tables, deal_filter, params, today) -> Embedded:
        choice = company.company_choice(tables, None, tuple(params.get("id") or ()))
        if not choice.ids:
            return Embedded(t("Company profile"), None, t("The link names no company of the ledger (id=…)."))
        view = company.company_view(tables, deal_filter, choice.ids[:1])
        profile = view.profiles[0]
        section = next(s for s in profile.sections if s.key == section_key)
        # English writes the section's title in lower case after the name; German keeps its nouns' capitals.
        heading = section.title.lower() if i18n.language() == i18n.DEFAULT_LANGUAGE else section.title
        return Embedded(fmt.markdown(t("{name}: {section}"), name=profile.name, section=heading),
                        section.chart, section.sentence, section.chart_caption)
    return build


def _exposure(part: str):
    """The Exposure page's charts: the backlog by customer, the stress test's unpaid money (its inputs from the
    link as the page reads them, else the default preset's) and the chosen money loop."""
    def build(tables, deal_filter, params, today) -> Embedded:
        view = exposure.exposure_view(tables, deal_filter)
        if part == "backlog":
            return Embedded(view.takeaway, None if view.empty else view.backlog_chart, view.empty,
                            view.backlog_caption)
        if part == "loops":
            by_label = {label: loop_id for loop_id, label in view.loop_labels.items()}
            chosen = by_label.get(_last(params, exposure.KEY_LOOP) or "", next(iter(view.loop_labels), None))
            figure = view.loop_figure(chosen) if view.loops else None
            return Embedded(view.loops_title, figure, t("No money loop in this selection."))
        controls = exposure.exposure_controls(tables, deal_filter)
        preset = controls.preset_of(_last(params, exposure.KEY_PRESET)) or controls.default_preset
        values = controls.preset_values(preset) or controls.preset_values(controls.default_preset)
        by_label = {controls.label(b): b for b in controls.buyers}
        named = [by_label[v] for v in params.get(exposure.KEY_BUYERS) or () if v in by_label]
        buyers = tuple(named or values.get(exposure.KEY_BUYERS, ()))
        paid = int(float(_last(params, exposure.KEY_PAID) or values.get(exposure.KEY_PAID, 100)))
        start = int(float(_last(params, exposure.KEY_START) or values.get(exposure.KEY_START, 2028)))
        stress = exposure.stress_view(tables, deal_filter, buyers, paid, start)
        if stress.empty:
            return Embedded(t("If a buyer does not pay"), None, stress.empty)
        return Embedded(stress.title, stress.chart, "", stress.caption)
    return build


def _exposure_problems(tables, deal_filter, params) -> list[LinkProblem]:
    return exposure.page_link_problems(exposure.exposure_controls(tables, deal_filter),
                                       exposure.exposure_view(tables, deal_filter), params)


def _company_problems(tables, deal_filter, params) -> list[LinkProblem]:
    choice = company.company_choice(tables, None, tuple(params.get("id") or ()))
    return [LinkProblem("id", w) for w in choice.warnings]


CHARTS: dict[str, EmbedChart] = {
    "overview-by-provider": EmbedChart("pages/overview.py", "", _overview),
    "diversification-share-usd": EmbedChart("pages/diversification.py", "diversification",
                                            _div_chart(lambda v: (v.shares_title, v.shares[0]))),
    "diversification-share-gw": EmbedChart("pages/diversification.py", "diversification",
                                           _div_chart(lambda v: (v.shares_title, v.shares[1]))),
    "diversification-buyer-history": EmbedChart("pages/diversification.py", "diversification", _div_history),
    "diversification-concentration": EmbedChart(
        "pages/diversification.py", "diversification",
        _div_chart(lambda v: (diversification.concentration_title(v, v.default_buyer), v.concentration))),
    "diversification-flows": EmbedChart("pages/diversification.py", "diversification",
                                        _div_chart(lambda v: (v.flows_title, v.flows))),
    "commitments-timeline": EmbedChart("pages/commitments.py", "commitments", _commitments("timeline")),
    "commitments-cumulative": EmbedChart("pages/commitments.py", "commitments", _commitments("cumulative")),
    "commitments-terms": EmbedChart("pages/commitments.py", "commitments", _commitments("terms")),
    "commitments-schedule": EmbedChart("pages/commitments.py", "commitments", _commitments("schedule")),
    "capacity-timeline": EmbedChart("pages/capacity.py", "capacity",
                                    _capacity("timeline_chart", "timeline_title", "timeline_caption")),
    "capacity-stargate": EmbedChart("pages/capacity.py", "capacity",
                                    _capacity("stargate_chart", "stargate_title", "stargate_caption")),
    "capacity-map": EmbedChart("pages/capacity.py", "capacity", _capacity("map_chart", "map_title", "map_caption"),
                               is_map=True),
    "capacity-rfp": EmbedChart("pages/capacity.py", "capacity", _capacity("rfp_chart", "rfp_title")),
    "capacity-power": EmbedChart("pages/capacity.py", "capacity",
                                 _capacity("power_chart", "power_title", "power_caption")),
    "gap-revenue": EmbedChart("pages/gap.py", "gap", _gap("revenue_chart", "revenue_title", "revenue_caption")),
    "gap-scenario": EmbedChart("pages/gap.py", "gap", _gap("scenario_chart", "scenario_title")),
    "gap-fan": EmbedChart("pages/gap.py", "gap", _gap("fan_chart", "uncertainty_title", "fan_caption")),
    "exposure-backlog": EmbedChart("pages/exposure.py", "exposure", _exposure("backlog")),
    "exposure-unpaid": EmbedChart("pages/exposure.py", "exposure", _exposure("unpaid")),
    "exposure-loops": EmbedChart("pages/exposure.py", "exposure", _exposure("loops")),
    "company-buyer": EmbedChart("pages/company.py", "company", _company("buyer")),
    "company-capacity": EmbedChart("pages/company.py", "company", _company("capacity"), is_map=True),
    "company-timeline": EmbedChart("pages/company.py", "company", _company("timeline")),
}
# Each page's check of its inputs' link values (the same functions the pages run before drawing their inputs).
INPUT_CHECKS: dict[str, Callable[[Mapping[str, pl.DataFrame], DealFilter, Params], list[LinkProblem]]] = {
    "pages/diversification.py": _div_problems,
    "pages/commitments.py": lambda tables, deal_filter, params: commitments.controls_link_problems(params),
    "pages/gap.py": _gap_problems,
    "pages/company.py": _company_problems,
    "pages/exposure.py": _exposure_problems,
}


def input_problems(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, name: str,
                   params: Params) -> list[LinkProblem]:
    """The link's page-input values the chart's page cannot take, each named (the page's own check)."""
    chart = CHARTS.get(name)
    check = INPUT_CHECKS.get(chart.page) if chart else None
    return check(tables, deal_filter, params) if check else []


def embed_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, name: str | None,
               params: tuple[tuple[str, tuple[str, ...]], ...], today: dt.date) -> EmbedView:
    """The chart `name` under the filter and the link's page inputs (`params`: the link's, as a tuple of pairs so
    the view can be cached); an unknown name gets a sentence listing the known ones."""
    chart = CHARTS.get(name or "")
    if chart is None:
        names = ", ".join(sorted(CHARTS))
        unknown = (fmt.markdown(t("The link's chart '{name}' is not one of the ledger's charts: {names}."), name=name,
                                names=names) if name else
                   fmt.markdown(t("The link names no chart; the ledger's charts are: {names}."), names=names))
        return EmbedView(name or "", None, None, unknown)
    return EmbedView(name, chart, chart.build(tables, deal_filter, dict(params), today), "")
