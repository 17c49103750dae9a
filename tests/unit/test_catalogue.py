"""The German catalogue against the code: every sentence the code marks (t, tn) is translated, with the same
placeholders; nothing in the catalogue is left over; and the modules listed as translated write no English
sentence that is not marked.

TRANSLATED_MODULES grows as pages are translated (docs/translating.md): move a module from PENDING_MODULES to
TRANSLATED_MODULES once every sentence it shows goes through t()/tn(). The work is complete when PENDING_MODULES is
empty; test_every_module_is_listed keeps the two lists honest.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from compute_ledger import i18n
from tests.conftest import REPO

# Modules whose every sentence shown to a reader goes through t()/tn(), checked by
# test_translated_modules_mark_every_sentence. Extend this list when you translate a module.
TRANSLATED_MODULES = [
    "dashboard.py", "compute_ledger/formatting.py", "compute_ledger/i18n.py", "compute_ledger/app/sidebar.py",
    "compute_ledger/app/loading.py", "compute_ledger/app/messages.py", "compute_ledger/app/link_form.py",
    "compute_ledger/app/tables.py", "compute_ledger/app/share.py", "compute_ledger/app/text.py",
    "compute_ledger/analysis/filters.py", "compute_ledger/analysis/metrics.py", "compute_ledger/analysis/narrative.py",
    "compute_ledger/analysis/news.py", "compute_ledger/charts/common.py", "pages/overview.py",
    "compute_ledger/views/overview.py", "compute_ledger/brief/link.py", "compute_ledger/brief/pdf.py",
    "compute_ledger/brief/render.py", "compute_ledger/brief/__init__.py", "compute_ledger/analysis/links.py",
    "compute_ledger/data/problems.py", "compute_ledger/data/validation.py", "compute_ledger/data/uploads.py",
    "compute_ledger/data/load.py", "compute_ledger/data/dataset_citation.py", "pages/exposure.py",
    "compute_ledger/views/exposure.py", "compute_ledger/charts/exposure.py", "compute_ledger/analysis/exposure.py",
    "pages/embed.py", "compute_ledger/views/embed.py", "pages/capacity.py", "pages/gap.py",
    "compute_ledger/views/capacity.py", "compute_ledger/views/gap.py", "compute_ledger/charts/capacity.py",
    "compute_ledger/charts/gap.py", "compute_ledger/analysis/capacity.py", "compute_ledger/analysis/gap_model.py",
    "compute_ledger/analysis/counting.py", "pages/data.py", "compute_ledger/views/data.py",
    "compute_ledger/analysis/sources.py", "compute_ledger/analysis/feedback.py", "compute_ledger/data/schema.py",
    "pages/company.py", "compute_ledger/views/company.py", "compute_ledger/charts/company.py",
    "compute_ledger/analysis/company.py", "compute_ledger/analysis/explore.py",
    # Diversification and Commitments
    "pages/diversification.py", "pages/commitments.py", "compute_ledger/views/diversification.py",
    "compute_ledger/views/commitments.py", "compute_ledger/views/common.py", "compute_ledger/charts/diversification.py",
    "compute_ledger/charts/commitments.py", "compute_ledger/analysis/diversification.py",
    "compute_ledger/analysis/commitments.py",
]
# Modules that still write English only (or that show nothing to a reader but have not been looked at yet).
PENDING_MODULES = [
]
# Where a reader never sees a sentence (file formats, the build's command line, package markers): not listed.
# brief/feed.py: the Atom feeds are files the build publishes at fixed addresses, like the published tables, read by
# feed readers, not by a page's reader; they stay English (feeds() writes them in English whatever the caller's
# language), as the CSV and Parquet downloads keep English column names and values.
NOT_SHOWN = re.compile(r"(__init__\.py|__main__\.py|compute_ledger/brief/feed\.py|"
                       r"compute_ledger/data/(build|cli|citations|corrections|"
                       r"exports|ingest|manifest|provenance|publish)\.py)$")

# An English sentence: a capitalised or lower-case word followed by at least two more lower-case words.
SENTENCE = re.compile(r"[A-Za-z]+(?:[ -][a-z']+){2,}")


def _catalogue():
    with i18n.catalogue_path("de").open("rb") as po:
        return read_po(po, locale="de")


@pytest.fixture(scope="module")
def used() -> dict:
    """msgid (str, or (singular, plural)) -> where the code uses it, over the whole code base."""
    return {message.id: message.locations for message in i18n.extract_messages() if message.id}


@pytest.fixture(scope="module")
def german() -> dict:
    return {message.id: message.string for message in _catalogue() if message.id and not message.fuzzy}


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def test_every_sentence_in_the_code_has_a_german_translation(used, german):
    missing = [f"{where[0][0]}:{where[0][1]}: {msgid!r}" for msgid, where in used.items()
               if not _translated(german.get(msgid))]
    assert not missing, "untranslated (run `python -m compute_ledger i18n-extract`, then translate):\n" + \
        "\n".join(missing)


def test_no_catalogue_entry_is_unused(used, german):
    assert sorted(map(str, set(german) - set(used))) == []


def test_placeholders_match_between_english_and_german(german):
    wrong = []
    for msgid, msgstr in german.items():
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        translations = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        for i, text in enumerate(translations):
            source = english[min(i, len(english) - 1)]
            if text and i18n.placeholders(text) != i18n.placeholders(source):
                wrong.append(f"{source!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_is_as_the_extract_command_writes_it(tmp_path):
    """Sorted, one line per sentence, no locations: merges of several helpers' work stay clean."""
    text = i18n.catalogue_path("de").read_text(encoding="utf-8")
    assert "\n#: " not in text
    ids = [m.id for m in _catalogue() if m.id]
    assert ids == sorted(ids, key=lambda m: m if isinstance(m, str) else m[0])


def test_every_module_is_listed():
    modules = {p.relative_to(REPO).as_posix() for root in ("compute_ledger", "pages") for p in (REPO / root).rglob("*.py")}
    modules = {m for m in modules | {"dashboard.py"} if not NOT_SHOWN.search(m) or m == "compute_ledger/brief/__init__.py"}
    listed = set(TRANSLATED_MODULES) | set(PENDING_MODULES)
    assert not set(TRANSLATED_MODULES) & set(PENDING_MODULES)
    assert sorted(modules - listed) == [], "a new module: add it to PENDING_MODULES or TRANSLATED_MODULES"
    assert sorted(listed - modules) == []


def _unmarked_sentences(path: Path) -> list[str]:
    """String literals (and f-strings) that read like English sentences and are not the argument of t()/tn(),
    a docstring, a dict key or subscript, or on (or just under) a line that says `# untranslated: <why>`."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in i18n.KEYWORDS:
            skip.update(id(n) for n in ast.walk(node))
        # Keys name things (a column, a mapping's English value), they are not shown: dict keys and subscripts.
        if isinstance(node, ast.Dict):
            skip.update(id(k) for k in node.keys if k is not None)
        if isinstance(node, ast.Subscript):
            skip.add(id(node.slice))
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        if SENTENCE.search(text) and "# untranslated:" not in lines[node.lineno - 1] \
                and not above.startswith("# untranslated:"):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: {text[:80]!r}")
    return found


@pytest.mark.parametrize("module", TRANSLATED_MODULES)
def test_translated_modules_mark_every_sentence(module):
    assert _unmarked_sentences(REPO / module) == []


def test_the_check_finds_an_unmarked_sentence(tmp_path, monkeypatch):
    """The check above can fail: an English sentence outside t() is found, one inside is not."""
    sample = REPO / "tests" / "unit" / "_i18n_sample.py"
    sample.write_text('from compute_ledger.i18n import t\nA = "No deals match this filter."\nB = t("No deals '
                      'match this filter either.")\nC = "a file name here"  # untranslated: not shown\n'
                      'D = f"The {1} deals shown here"\n', encoding="utf-8")
    try:
        found = _unmarked_sentences(sample)
    finally:
        sample.unlink()
    assert [f.split(": ", 1)[0].rsplit(":", 1)[1] for f in found] == ["2", "5"]
