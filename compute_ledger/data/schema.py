"""The four tables of the ledger: columns, units, meanings and the rules every row must keep.

One spec per table drives three things, so they cannot drift apart: parsing CSV text into types
(`ingest`), the pandera checks (`validation`), and the column dictionary shown to users.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from compute_ledger.i18n import N_, translated, use_language

TABLE_NAMES = ("companies", "deals", "milestones", "financials")
# Where the rows' sources live (issue 25): several citations per row, each page's publisher judged once in a
# registry, and the date the data was last checked against the reports. Published beside the four tables; a data
# location without them still loads (the rows keep their primary source in source_*).
PROVENANCE_TABLE_NAMES = ("citations", "publishers", "dataset")
PUBLISHED_TABLE_NAMES = TABLE_NAMES + PROVENANCE_TABLE_NAMES
# The tables whose rows cite reports (record_table in citations).
CITED_TABLE_NAMES = ("deals", "milestones", "financials")

DATE_MIN = dt.date(2015, 1, 1)
DATE_MAX = dt.date(2035, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
# Sanity ceilings, far above anything published (OpenAI's whole ~USD 1.4T plan, Bain's ~200 GW),
# so that a unit slip (millions typed as billions) is caught rather than charted.
MAX_USD_BN = 5_000.0
MAX_GW = 1_000.0

COMPANY_KINDS = ("lab", "hyperscaler", "neocloud", "chipmaker", "investor", "developer", "energy", "other")
DEAL_TYPES = ("cloud_compute", "chips", "data_center", "equity_investment", "power", "manufacturing")
DEAL_STATUSES = ("announced", "signed", "letter_of_intent", "rumored", "completed", "paused", "cancelled")
# The counting model (see README "How the headline numbers are counted"). What a deal's money buys, at which step
# of the supply chain: totals add one layer at a time, so a lab's cloud contract and the cloud's own purchases to
# serve that lab are never summed together.
# `pledge`: a company's stated plan to invest in a country or region (dollars or capacity), with no counterparty
# bound by contract. Pledges are shown as pledges and never enter a contracted total.
DEAL_LAYERS = ("end_user", "resale", "financing", "power", "manufacturing", "pledge")
# How sure the deal is: signed or completed; announced but not definitive (letter of intent, term sheet,
# memorandum, "up to"); reported only (rumoured, single-source press report).
DEAL_FIRMNESS = ("definitive", "announced", "reported")
# What a deal's GW measure: physical capacity (a site or a capacity contract) or a chip volume expressed in power.
# `power`: electricity contracted for data centres (a power purchase, a plant built for a campus). It feeds the
# sites; power GW are never added to site or chip GW.
CAPACITY_KINDS = ("site", "chips", "power")
# What a power deal's electricity comes from.
POWER_TYPES = ("nuclear", "gas", "hydro", "renewables", "fuel_cells", "mixed")
# What a publisher is, strongest first (data/sources/publishers.csv judges each host once; see PUBLISHER_KIND_MEANINGS).
SOURCE_KINDS = ("company", "filing", "major_outlet", "trade_press", "aggregator", "blog_or_summary")
PUBLISHER_KIND_MEANINGS = {
    "company": N_("the company itself: its site, newsroom, blog or investor relations (openai.com, aboutamazon.com), or a "
               "press-release wire carrying its own release (businesswire.com, prnewswire.com, globenewswire.com)"),
    "filing": N_("a regulator or a filing: sec.gov, a utility commission, a government ministry's official release"),
    "major_outlet": N_("a wire service or a national newspaper or broadcaster (Reuters, AP, Bloomberg, WSJ, FT, CNBC, "
                    "Straits Times, Mint), or a site carrying a licensed copy of their story, named as such in the note"),
    "trade_press": N_("specialist press (DatacenterDynamics, The Register, Tom's Hardware, TechCrunch, heise, CRN), and "
                   "regional papers or broadcasters reporting on their own area"),
    "aggregator": N_("aggregation and syndication sites, re-write sites, financial-data sites, local sites re-running "
                  "others' copy without a licence named"),
    "blog_or_summary": N_("personal blogs, newsletters of unknown authorship and AI-written summary sites"),
}
# Kinds that are the source itself, and kinds that report independently; the rest relay.
FIRST_HAND_KINDS = ("company", "filing")
REPORTING_KINDS = ("major_outlet", "trade_press")
WEAK_KINDS = ("aggregator", "blog_or_summary")
# What a citation confirms about its row.
SUPPORTS = ("value", "date", "capacity", "status", "parties")
# How well a row's figure is sourced (derived by the build from its citations; see SOURCE_RULE).
SOURCE_STRENGTHS = ("company_or_filing", "corroborated", "single_report")
# The rule `validate` enforces: rows at least this large need a company or filing citation, or two agreeing
# reports from different publishers (one of them a major outlet or trade press), or a single_source_reason.
RULE_DEAL_USD_BN = 10.0
RULE_DEAL_GW = 1.0
RULE_MILESTONE_GW = 1.0
SOURCE_RULE = (
    # untranslated: the published Data Package's rule (datapackage.json stays English; the Data page shows the methodology)
    "Every row cites one or more reports (citations.csv), one of them its primary, whose publisher kind comes from "
    "the reviewed registry (publishers.csv). Every deal of at least USD 10 bn or 1 GW and every milestone of at least "
    "1 GW has a company or filing citation that supports the figure, or at least two citations from different "
    "publishers, at least one a major outlet or trade press, that agree on it (both list value, or capacity, among "
    "what they support); a row that cannot meet this today stays in the data with its single_source_reason. A "
    "primary citation is never an aggregator or blog when a stronger citation of the row exists."
)
VALUE_BASES = ("contract", "purchase", "investment", "planned_investment", "financing", "intended_investment",
               "acquisition")
MILESTONE_TYPES = (
    "compute_capacity", "capacity_added", "program_target", "planned_capacity", "site_reported",
    "site_announced", "energized", "operational", "capacity_target", "power_online", "commitment_total",
    "procurement", "model_distribution", "pause", "cancellation", "industry_projection",
)
# What a milestone's capacity covers, so that totals never add a fleet to its own sites, or a chip tranche
# to the data centre that will house it.
MILESTONE_SCOPES = ("fleet", "programme", "site", "tranche", "power", "event")
MILESTONE_STAGES = ("target", "planned", "under_construction", "operational", "completed", "paused", "cancelled")
PERIOD_BASES = ("calendar", "fiscal_jun30", "fiscal_may31", "fiscal_jan")
PERIODS = ("full_year", "first_half", "first_quarter", "quarter", "point_in_time", "multi_year")
FINANCIAL_METRICS = (
    "revenue", "revenue_run_rate", "operating_loss", "net_loss", "rd_expense", "cash_burn", "compute_spend",
    "compute_cost_estimate", "compute_commitments_total", "funding_gap_estimate", "equity_raised",
    "valuation_post_money", "valuation_pre_money", "valuation_secondary", "investor_stake_value",
    "planned_investment", "capex", "capex_incl_finance_leases", "remaining_performance_obligations",
    "revenue_needed", "revenue_shortfall", "datacenter_capex", "datacenter_revenue", "backlog", "total_debt",
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RECORD_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
HTTP_URL = r"^https?://[^\s<>\"']+$"
# An article, not a bare domain: http(s), a host with a dot, and a path beyond "/".
ARTICLE_URL = r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?/[^\s<>\"']+$"
COUNTRY = r"^[A-Z]{2}$"


class Check:
    """A column rule written as data. `validation` turns each into a pandera check when it validates, so the
    app does not pay for importing pandera (seconds) when it reads data the build already validated."""

    @staticmethod
    def isin(values) -> tuple:
        return ("isin", tuple(values))

    @staticmethod
    def in_range(low, high) -> tuple:
        return ("in_range", low, high)

    @staticmethod
    def str_matches(pattern: str) -> tuple:
        return ("str_matches", pattern)

    @staticmethod
    def str_length(low: int, high: int) -> tuple:
        return ("str_length", low, high)


# pandera's in_range lets NaN and inf through; money and power must be real numbers.
FINITE = ("finite",)


def _between(lo, hi) -> tuple:
    return Check.in_range(lo, hi)


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    meaning: str
    unit: str = ""
    required: bool = True
    checks: tuple[tuple, ...] = ()
    # Written by the build from the citations (never typed in data/sources/*.csv).
    built: bool = False
    # A loaded file may lack the column (files published before it existed, an analyst's upload): read as empty.
    may_be_absent: bool = False


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns of one row; problems are reported against `column`."""

    column: str
    message: str
    ok: pl.Expr


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    row_rules: tuple[RowRule, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns}


# The column dictionary's texts are English here (they also go into the published Data Package, which stays English)
# and marked with N_() for the catalogue; `shown()` gives them in the reader's language on the Data page.
# A meaning made from a template and a list: its English text -> (template, the template's values).
_FILLED: dict[str, tuple[str, Callable[[], dict[str, str]]]] = {}


def _filled(template: str, values: Callable[[], dict[str, str]]) -> str:
    """A meaning with a list in it, in English (for the Column); `shown()` fills the translated template."""
    with use_language("en"):
        english = template.format(**values())
    _FILLED[english] = (template, values)
    return english


def _kinds() -> dict[str, str]:
    """The publisher kinds and what each means, in the current language (the kinds themselves are the data's)."""
    return {"kinds": "; ".join(f"{k}: {translated(v)}" for k, v in PUBLISHER_KIND_MEANINGS.items())}


def shown(text: str) -> str:
    """A column's meaning or unit, or a row rule's message, from this module, in the reader's language."""
    if text in _FILLED:
        template, values = _FILLED[text]
        return translated(template).format(**values())
    return translated(text)


def _headline() -> Column:
    return Column("headline", pl.String, N_("Short label marking the row as a key event on timelines"), required=False,
                  checks=(Check.str_length(3, 60),))


def _source_columns() -> tuple[Column, ...]:
    return (
        Column("source_title", pl.String, N_("Title and publisher of the primary citation (built from citations.csv)"),
               checks=(Check.str_length(3, 400),), built=True),
        Column("source_url", pl.String, N_("Web address of the primary citation (an article: http(s), a host and a path)"),
               checks=(Check.str_matches(ARTICLE_URL),), built=True),
        Column("source_date", pl.Date, N_("Publication date of the primary citation; empty when that page gives none "
               "(its note says so), never a date the page does not show"), required=False,
               checks=(_between(DATE_MIN, DATE_MAX),), built=True),
        Column("source_kind", pl.String, _filled(N_("Kind of the primary citation's publisher, from the registry: "
                                                    "{kinds}"), _kinds),
               checks=(Check.isin(SOURCE_KINDS),), built=True),
        Column("source_note", pl.String, N_("What the sources do not confirm, or where they differ"),
               required=False, checks=(Check.str_length(3, 400),)),
        Column("source_publisher", pl.String, N_("Publisher of the primary citation (from the registry)"), required=False,
               built=True, may_be_absent=True),
        Column("citation_count", pl.Int64, N_("How many citations (pages) back the row"), required=False,
               checks=(_between(1, 10_000),), built=True, may_be_absent=True),
        Column("independent_publishers", pl.Int64, N_("How many different publishers those citations come from"),
               required=False, checks=(_between(1, 10_000),), built=True, may_be_absent=True),
        Column("first_reported_by", pl.String, N_("Who first reported the row's figure: the primary citation's original "
               "reporter when it relays one (e.g. The Wall Street Journal), else its own publisher"), required=False,
               built=True, may_be_absent=True),
        Column("source_strength", pl.String, N_("How the figure is backed: company_or_filing (a company or filing "
               "citation supports it), corroborated (two or more publishers, one a major outlet or trade press, "
               "agree on it), single_report (anything less)"), required=False,
               checks=(Check.isin(SOURCE_STRENGTHS),), built=True, may_be_absent=True),
        Column("single_source_reason", pl.String, N_("Why a row the source rule covers (deals of USD 10 bn or 1 GW and "
               "more, milestones of 1 GW and more) has no company or filing citation nor two agreeing reports"),
               required=False, checks=(Check.str_length(10, 400),), may_be_absent=True),
    )


COMPANIES = Table(
    "companies",
    key=("company_id",),
    columns=(
        Column("company_id", pl.String, N_("Short stable id used by the other tables"), checks=(Check.str_matches(SLUG),)),
        Column("name", pl.String, N_("Display name"), checks=(Check.str_length(1, 120),)),
        Column("parent", pl.String, N_("company_id of the parent group, if any"), required=False),
        Column("kind", pl.String, N_("What the organisation is"), checks=(Check.isin(COMPANY_KINDS),)),
        Column("country", pl.String, N_("Headquarters, ISO 3166 two-letter code"), required=False,
               checks=(Check.str_matches(COUNTRY),)),
    ),
    row_rules=(RowRule("parent", N_("a company cannot be its own parent"),
                       pl.col("parent").is_null() | (pl.col("parent") != pl.col("company_id"))),),
)

DEALS = Table(
    "deals",
    key=("deal_id",),
    columns=(
        Column("deal_id", pl.String, N_("Stable id of the deal"), checks=(Check.str_matches(RECORD_ID),)),
        Column("announced", pl.Date, N_("Date announced or first reported"), checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("buyer_id", pl.String, N_("company_id that receives compute, capacity, chips or capital")),
        Column("provider_id", pl.String, N_("company_id of the counterparty (for equity: the investor)")),
        Column("deal_type", pl.String, N_("Kind of deal"), checks=(Check.isin(DEAL_TYPES),)),
        Column("value_usd_bn", pl.Float64, N_("Headline value as reported; empty when undisclosed"), N_("USD bn"),
               required=False, checks=(FINITE, _between(0, MAX_USD_BN))),
        Column("value_basis", pl.String, N_("What the value measures"), required=False, checks=(Check.isin(VALUE_BASES),)),
        Column("is_estimate", pl.Boolean, N_("Value comes from press or analysts, or is stated as '>X' or '~X'")),
        Column("capacity_gw", pl.Float64, N_("Power as reported (often 'up to')"), N_("GW"), required=False,
               checks=(FINITE, _between(0, MAX_GW))),
        Column("term_years", pl.Int64, N_("Contract length as reported"), N_("years"),
               required=False, checks=(_between(1, 50),)),
        Column("start_year", pl.Int64, N_("First year of the term"), N_("year"),
               required=False, checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("end_year", pl.Int64, N_("Last year of the term"), N_("year"),
               required=False, checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("status", pl.String, N_("Where the deal stands"), checks=(Check.isin(DEAL_STATUSES),)),
        Column("status_changed", pl.Date, N_("When the status last changed to what it is now (empty: as first reported)"),
               required=False, checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("previous_status", pl.String, N_("The status before that change"), required=False,
               checks=(Check.isin(DEAL_STATUSES),)),
        Column("layer", pl.String, N_("What the money buys, at which step of the chain: end_user (a lab or other user "
               "buying compute, chips or buildings for itself), resale (a provider buying capacity or chips to serve "
               "its customers), financing (equity, debt, backstops, JV funding, acquisitions), power (electricity for "
               "data centres), manufacturing, pledge (a company's stated plan to invest in a country or region: not "
               "a contract, never in a contracted total)"),
               checks=(Check.isin(DEAL_LAYERS),)),
        Column("firmness", pl.String, N_("How sure the deal is: definitive (signed, completed), announced (letter of "
               "intent, term sheet, memorandum, 'up to'), reported (rumoured or a single press report)"),
               checks=(Check.isin(DEAL_FIRMNESS),)),
        Column("capacity_kind", pl.String, N_("What capacity_gw measures: site (buildings or a capacity contract), chips "
               "(a chip volume expressed in power) or power (electricity contracted for data centres); never added "
               "together"), required=False, checks=(Check.isin(CAPACITY_KINDS),)),
        Column("power_type", pl.String, N_("For a power deal: what the electricity comes from (nuclear, gas, hydro, "
               "renewables, fuel_cells, mixed); empty for other deals"), required=False,
               checks=(Check.isin(POWER_TYPES),)),
        Column("chips", pl.String, N_("Chips or systems named"), required=False),
        Column("description", pl.String, N_("What was agreed, in our words"), checks=(Check.str_length(10, 2000),)),
        Column("counts_in_totals", pl.Boolean, N_("False when the row repeats money or capacity counted in another row")),
        Column("overlaps_with", pl.String, N_("deal_id this row overlaps, duplicates or was superseded by"),
               required=False),
        Column("end_customer_id", pl.String, N_("For a provider's purchase (layer resale): the company_id the capacity is "
               "reported to serve, if any"), required=False),
        Column("counting_note", pl.String, N_("Why the row counts (or not) in totals where that is not obvious, e.g. a "
               "provider's purchase that serves a lab whose own contract is counted too"), required=False,
               checks=(Check.str_length(10, 400),)),
        _headline(),
        *_source_columns(),
    ),
    row_rules=(
        RowRule("end_year", N_("end_year must not be before start_year"),
                pl.col("end_year").is_null() | pl.col("start_year").is_null() | (pl.col("end_year") >= pl.col("start_year"))),
        RowRule("overlaps_with", N_("a row left out of totals must name the row it overlaps (overlaps_with)"),
                pl.col("counts_in_totals") | pl.col("overlaps_with").is_not_null()),
        RowRule("overlaps_with", N_("a deal cannot overlap itself"),
                pl.col("overlaps_with").is_null() | (pl.col("overlaps_with") != pl.col("deal_id"))),
        RowRule("value_basis", N_("value_basis is required when a value is given"),
                pl.col("value_usd_bn").is_null() | pl.col("value_basis").is_not_null()),
        RowRule("is_estimate", N_("an undisclosed value cannot be an estimate"),
                pl.col("value_usd_bn").is_not_null() | ~pl.col("is_estimate")),
        RowRule("capacity_kind", N_("capacity_kind is required when capacity_gw is given"),
                pl.col("capacity_gw").is_null() | pl.col("capacity_kind").is_not_null()),
        RowRule("firmness", N_("a rumoured deal can only be 'reported'"),
                (pl.col("status") != "rumored") | (pl.col("firmness") == "reported")),
        RowRule("firmness", N_("a letter of intent cannot be 'definitive'"),
                (pl.col("status") != "letter_of_intent") | (pl.col("firmness") != "definitive")),
        RowRule("layer", N_("an equity investment is 'financing'"),
                (pl.col("deal_type") != "equity_investment") | (pl.col("layer") == "financing")),
        # Two layers of the same compute: the cloud's purchase to serve a lab, and the lab's own contract with that
        # cloud. Totals never add them (they count one layer at a time), but the row must say why both exist.
        RowRule("counting_note", N_("a provider's purchase that serves a lab with its own counted contract with this "
                "provider must say why both rows exist (counting_note)"),
                (pl.col("layer") != "resale") | ~pl.col("counts_in_totals") | pl.col("counting_note").is_not_null()
                | ~pl.concat_str("end_customer_id", "buyer_id", separator="|").is_in(
                    pl.concat_str("buyer_id", "provider_id", separator="|")
                    .filter((pl.col("layer") == "end_user") & pl.col("counts_in_totals")).implode())),
        RowRule("end_customer_id", N_("only a provider's purchase (layer resale) names an end customer"),
                pl.col("end_customer_id").is_null() | (pl.col("layer") == "resale")),
        RowRule("previous_status", N_("previous_status and status_changed go together"),
                pl.col("previous_status").is_null() == pl.col("status_changed").is_null()),
        RowRule("power_type", N_("a power deal (layer power) must say what its power comes from (power_type)"),
                (pl.col("layer") != "power") | pl.col("power_type").is_not_null()),
        RowRule("power_type", N_("only a power deal (layer power) has a power_type"),
                pl.col("power_type").is_null() | (pl.col("layer") == "power")),
        # Power GW and site GW are two series: a power deal's GW are electricity, never a site's size.
        RowRule("capacity_kind", N_("a power deal's GW are power (capacity_kind power), and only a power deal's are"),
                pl.col("capacity_kind").is_null() | ((pl.col("layer") == "power") == (pl.col("capacity_kind") == "power"))),
    ),
)

MILESTONES = Table(
    "milestones",
    key=("milestone_id",),
    columns=(
        Column("milestone_id", pl.String, N_("Stable id of the milestone"), checks=(Check.str_matches(RECORD_ID),)),
        Column("date", pl.Date, N_("Event date, or targeted date for targets (1st of month/year when only that is known)"),
               checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("company_id", pl.String, N_("Main company")),
        Column("program", pl.String, N_("Programme the milestone belongs to (e.g. Stargate)"), required=False),
        Column("site", pl.String, N_("Site or scope the milestone is about"), checks=(Check.str_length(1, 200),)),
        Column("country", pl.String, N_("ISO 3166 two-letter code; empty for multi-country scopes"), required=False,
               checks=(Check.str_matches(COUNTRY),)),
        Column("lat", pl.Float64, N_("Approximate latitude of the town or county (for the map only)"), N_("degrees"),
               required=False, checks=(_between(-90, 90),)),
        Column("lon", pl.Float64, N_("Approximate longitude of the town or county (for the map only)"), N_("degrees"),
               required=False, checks=(_between(-180, 180),)),
        Column("milestone_type", pl.String, N_("What kind of milestone"), checks=(Check.isin(MILESTONE_TYPES),)),
        Column("scope", pl.String, N_("What the capacity covers: a company's fleet, a programme total, one site, a chip or "
               "cloud tranche housed in some data centre, a power source, or an event"),
               checks=(Check.isin(MILESTONE_SCOPES),)),
        Column("capacity_gw", pl.Float64, N_("Capacity as reported"), N_("GW"), required=False,
               checks=(FINITE, _between(0, MAX_GW))),
        Column("stage", pl.String, N_("Stage as last reported"), checks=(Check.isin(MILESTONE_STAGES),)),
        Column("stage_changed", pl.Date, N_("When the stage last changed to what it is now (empty: as first reported)"),
               required=False, checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("previous_stage", pl.String, N_("The stage before that change"), required=False,
               checks=(Check.isin(MILESTONE_STAGES),)),
        _headline(),
        Column("description", pl.String, N_("What happened or is planned, in our words"),
               checks=(Check.str_length(10, 2000),)),
        *_source_columns(),
    ),
    row_rules=(RowRule("lon", N_("lat and lon must be given together"),
                       pl.col("lat").is_null() == pl.col("lon").is_null()),
               RowRule("previous_stage", N_("previous_stage and stage_changed go together"),
                       pl.col("previous_stage").is_null() == pl.col("stage_changed").is_null())),
)

FINANCIALS = Table(
    "financials",
    key=("company_id", "year", "metric", "period", "as_of", "is_projection", "estimator", "source_date"),
    columns=(
        Column("financial_id", pl.String, N_("Stable id of the figure (F001...), so that citations can name it"),
               required=False, checks=(Check.str_matches(RECORD_ID),), may_be_absent=True),
        Column("company_id", pl.String, N_("Company the figure is about")),
        Column("year", pl.Int64, N_("Year the figure is for (fiscal year for fiscal bases)"), N_("year"),
               checks=(_between(YEAR_MIN, YEAR_MAX),)),
        Column("period_basis", pl.String, N_("calendar, or fiscal with the year-end"), checks=(Check.isin(PERIOD_BASES),)),
        Column("period", pl.String, N_("Span the figure covers"), checks=(Check.isin(PERIODS),)),
        Column("as_of", pl.Date, N_("Date of a point-in-time figure (run-rate, valuation, backlog)"), required=False,
               checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("metric", pl.String, N_("What is measured. Among them: remaining_performance_obligations (contracted "
               "revenue not yet recognised, point in time), backlog (the same, in a company's own word when it does "
               "not report RPO), revenue (recognised), capex (cash purchases of property and equipment), total_debt "
               "(borrowings at a balance-sheet date, point in time, leases excluded unless the description says so)"),
               checks=(Check.isin(FINANCIAL_METRICS),)),
        Column("value_usd_bn", pl.Float64, N_("Value"), N_("USD bn"), checks=(FINITE, _between(0, MAX_USD_BN))),
        Column("is_projection", pl.Boolean, N_("A forecast, target or guidance rather than a reported actual")),
        Column("estimator", pl.String, N_("Outside analyst who made the estimate; empty for company figures"),
               required=False),
        Column("description", pl.String, N_("What the figure is, in our words"), checks=(Check.str_length(10, 2000),)),
        *_source_columns(),
    ),
    row_rules=(RowRule("as_of", N_("a point-in-time or single-quarter figure needs an as_of date"),
                       ~pl.col("period").is_in(["point_in_time", "quarter"]) | pl.col("as_of").is_not_null()),),
)

SUPPORTS_LIST = r"^(value|date|capacity|status|parties)(;(value|date|capacity|status|parties))*$"
HOST = r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"

CITATIONS = Table(
    "citations",
    key=("record_table", "record_id", "url"),
    columns=(
        Column("record_table", pl.String, N_("Table of the row the page backs"), checks=(Check.isin(CITED_TABLE_NAMES),)),
        Column("record_id", pl.String, N_("Id of that row: deal_id, milestone_id or financial_id"),
               checks=(Check.str_matches(RECORD_ID),)),
        Column("url", pl.String, N_("The page's exact address (an article: http(s), a host and a path)"),
               checks=(Check.str_matches(ARTICLE_URL),)),
        Column("title", pl.String, N_("The page's own headline, without the publisher"), required=False,
               checks=(Check.str_length(3, 400),)),
        Column("published", pl.Date, N_("The page's own publication date (empty when the page gives none)"),
               required=False, checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("supports", pl.String, _filled(N_("What the page confirms about the row, ';'-separated: {values}"),
                                              lambda: {"values": ", ".join(SUPPORTS)}),
               checks=(Check.str_matches(SUPPORTS_LIST),)),
        Column("first_reported_by", pl.String, N_("Who reported it first when the page relays another's report "
               "(e.g. The Wall Street Journal, company release (OpenAI)); empty when the page is the original"),
               required=False, checks=(Check.str_length(2, 200),)),
        Column("is_primary", pl.Boolean, N_("The row's primary citation (exactly one per row): the one its source_* "
               "columns show; the strongest page")),
        Column("note", pl.String, N_("What the page says that differs, or how it relates to the original"),
               required=False, checks=(Check.str_length(2, 400),)),
        Column("deal_id", pl.String, N_("record_id again when the row is a deal (so the Data Package can declare "
               "the reference)"), required=False, built=True),
        Column("milestone_id", pl.String, N_("record_id again when the row is a milestone"), required=False, built=True),
        Column("financial_id", pl.String, N_("record_id again when the row is a financial figure"), required=False,
               built=True),
        Column("host", pl.String, N_("The publishers.csv host the url matched (its host or the longest registered "
               "suffix of it)"), built=True),
        Column("publisher", pl.String, N_("Publisher of the page, from publishers.csv (longest registered host suffix)"),
               built=True),
        Column("kind", pl.String, N_("Kind of publisher, from publishers.csv"),
               checks=(Check.isin(SOURCE_KINDS),), built=True),
    ),
    row_rules=(RowRule("title", N_("a primary citation needs the page's title (its source_title)"),
                       ~pl.col("is_primary") | pl.col("title").is_not_null()),),
)

PUBLISHERS = Table(
    "publishers",
    key=("host",),
    columns=(
        Column("host", pl.String, N_("A web host, lowercase, without www.; a citation's host matches the longest "
               "registered suffix (news.example.com matches example.com)"), checks=(Check.str_matches(HOST),)),
        Column("publisher", pl.String, N_("Who publishes there: two hosts of one publisher share the name, and count "
               "as one publisher"), checks=(Check.str_length(1, 120),)),
        Column("kind", pl.String, _filled(N_("What the publisher is, judged once: {kinds}"), _kinds),
               checks=(Check.isin(SOURCE_KINDS),)),
        Column("note", pl.String, N_("Why this kind (e.g. 'carries Reuters copy', 'press-release wire')"),
               required=False, checks=(Check.str_length(2, 400),)),
    ),
    row_rules=(RowRule("host", N_("a host is written without a leading www."), ~pl.col("host").str.starts_with("www.")),),
)

DATASET = Table(
    "dataset",
    key=("checked_against_reports",),
    columns=(
        Column("checked_against_reports", pl.Date, N_("When the rows were last checked against the published reports "
               "(a recorded date, not the day the app runs)"), checks=(_between(DATE_MIN, DATE_MAX),)),
        Column("note", pl.String, N_("What that check covered"), required=False, checks=(Check.str_length(3, 400),)),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (COMPANIES, DEALS, MILESTONES, FINANCIALS, CITATIONS, PUBLISHERS,
                                                 DATASET)}
ROW_ID = {"deals": "deal_id", "milestones": "milestone_id", "financials": "financial_id"}


def source_table(name: str) -> Table:
    """The table as people edit it in data/sources/: without the columns the build writes from the citations.
    A financial figure there needs its financial_id (citations name it), which is its key."""
    table = TABLES[name]
    columns = tuple(
        Column(c.name, c.dtype, c.meaning, c.unit, True, c.checks) if (name, c.name) == ("financials", "financial_id")
        else Column(c.name, c.dtype, c.meaning, c.unit, c.required, c.checks)
        for c in table.columns if not c.built)
    key = ("financial_id",) if name == "financials" else table.key
    return Table(name, key, columns, table.row_rules)


SOURCE_TABLE_NAMES = TABLE_NAMES + PROVENANCE_TABLE_NAMES
SOURCE_TABLES: dict[str, Table] = {name: source_table(name) for name in SOURCE_TABLE_NAMES}

# Foreign keys: (table, column) -> (table, column) it must exist in.
FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("companies", "parent", "companies", "company_id"),
    ("deals", "buyer_id", "companies", "company_id"),
    ("deals", "provider_id", "companies", "company_id"),
    ("deals", "overlaps_with", "deals", "deal_id"),
    ("deals", "end_customer_id", "companies", "company_id"),
    ("milestones", "company_id", "companies", "company_id"),
    ("financials", "company_id", "companies", "company_id"),
)
# Citations point to rows of three tables (record_table, record_id): `citations.check_citations` checks them; the
# published copy repeats record_id in deal_id, milestone_id or financial_id so that each reference is a plain key.
PUBLISHED_FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = FOREIGN_KEYS + (
    ("citations", "deal_id", "deals", "deal_id"),
    ("citations", "milestone_id", "milestones", "milestone_id"),
    ("citations", "financial_id", "financials", "financial_id"),
    ("citations", "host", "publishers", "host"),
)


def column_dictionary(in_language: bool = False) -> pl.DataFrame:
    """One row per column of every table: the data dictionary shown on the Data page and in the README. With
    `in_language`, units and meanings are in the reader's language (the Data page); else English (as published)."""
    said = shown if in_language else str
    return pl.DataFrame(
        [
            {"table": t.name, "column": c.name, "type": str(c.dtype), "unit": said(c.unit),
             "required": c.required, "meaning": said(c.meaning)}
            for t in TABLES.values()
            for c in t.columns
        ]
    )
