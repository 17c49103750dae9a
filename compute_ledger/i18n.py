"""The reader's language: every sentence the app writes is English in the code and German in a catalogue.

    from compute_ledger.i18n import t, tn
    t("{buyer} buys from {provider}", buyer=..., provider=...)      # a whole sentence, named placeholders
    tn("{n} deal", "{n} deals", count, n=fmt.count(count))         # a sentence whose words follow a count

The English sentence is the message id (gettext's msgid); German comes from
`compute_ledger/locales/de/LC_MESSAGES/messages.po`, read once at import with Babel (no compile step, no binary in
git). A sentence without a translation, or whose translation names other placeholders, falls back to English.
The language is a context variable, set once per script run (`use_language`) from the sidebar's choice; `t()`
reads it, and so do the number and date formats in `formatting.py`. `python -m compute_ledger i18n-extract`
finds every `t(...)`/`tn(...)` in the code and adds new sentences to the catalogue (docs/translating.md).
"""
from __future__ import annotations

import contextlib
import datetime
import functools
import gettext
import io
import string
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"en": "English", "de": "Deutsch"}  # code -> the language's own name, as the sidebar offers it
DEFAULT_LANGUAGE = "en"
QP_LANG = "lang"  # the link's language parameter (`lang=de`), and the sidebar widget's key
LOCALES = {"en": "en_US", "de": "de_DE"}  # code -> the CLDR locale that formats its numbers and dates
LOCALES_DIR = Path(__file__).parent / "locales"
CATALOGUE = "messages.po"
# Babel's extractor keywords: t(msgid, ...), tn(singular, plural, n, ...); N_(msgid) marks a sentence kept in English
# where it is defined and translated where it is shown (`translated`); t_later(msgid, ...) marks a sentence made in
# English with its values and said in each reader's language when shown (`Later`, `said`).
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None, "t_later": None}

_language: ContextVar[str] = ContextVar("compute_ledger_language", default=DEFAULT_LANGUAGE)


def catalogue_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / CATALOGUE


def _translations(language: str) -> gettext.NullTranslations:
    """The language's catalogue as the standard library's gettext object (compiled in memory from the .po)."""
    path = catalogue_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)  # fuzzy entries are left out, as gettext does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


_TRANSLATIONS = {code: _translations(code) for code in LANGUAGES if code != DEFAULT_LANGUAGE}


def language() -> str:
    """The current reader's language code ("en" or "de")."""
    return _language.get()


def locale() -> str:
    """The CLDR locale of the current language (for Babel's number and date formats)."""
    return LOCALES[_language.get()]


def set_language(code: str) -> None:
    """Set the language for the rest of this script run (the entry file does it once, before the page runs)."""
    _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)


@contextlib.contextmanager
def use_language(code: str) -> Iterator[None]:
    """The language for a block only (tests, the brief, a cached view built in another language)."""
    token = _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def placeholders(text: str) -> frozenset[str]:
    """The named placeholders of a sentence: "{buyer} buys from {provider}" -> {"buyer", "provider"}."""
    return frozenset(name.split(".")[0].split("[")[0]
                     for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _fill(english: str, translated: str, values: dict) -> str:
    # A translation that names other placeholders than the English would raise or drop a number: English instead.
    if placeholders(translated) != placeholders(english):
        translated = english
    return translated.format(**values) if values else translated


def t(message: str, **values) -> str:
    """`message` (an English sentence) in the current language, its `{named}` placeholders filled from `values`.

    Without values the sentence is returned as it is, braces and all (so a literal "{" needs no escaping)."""
    code = _language.get()
    translated = _TRANSLATIONS[code].gettext(message) if code != DEFAULT_LANGUAGE else message
    return _fill(message, translated, values)


def tn(singular: str, plural: str, count: int, /, **values) -> str:
    """The singular or plural sentence for `count`, in the current language's plural rule.

    `{n}` is filled with `count` unless `values` names it (pass a formatted count: `n=fmt.count(count)`)."""
    n = count
    values.setdefault("n", n)
    code = _language.get()
    if code == DEFAULT_LANGUAGE:
        english = singular if n == 1 else plural
        return _fill(english, english, values)
    translated = _TRANSLATIONS[code].ngettext(singular, plural, n)
    return _fill(singular if n == 1 else plural, translated, values)  # German counts like English: 1 vs other


def N_(message: str) -> str:
    """Mark an English sentence for the catalogue without translating it (gettext's no-op marker): for text kept in
    English where it is defined (a module constant that also goes into the published Data Package), and translated
    where it is shown with `translated(message)`."""
    return message


def translated(message: str) -> str:
    """A sentence marked elsewhere with `N_()` (so its English is in the catalogue), in the current language;
    braces are left as they are, as in `t()` without values."""
    code = _language.get()
    if code == DEFAULT_LANGUAGE or not message:  # gettext("") is the catalogue's header
        return message
    return _TRANSLATIONS[code].gettext(message)


class Later(str):
    """A sentence made once and shown to many readers (a problem found while loading the data, which the app caches
    for everyone): as a string it is the English sentence (what the command line prints and tests compare); `said()`
    puts it in the current reader's language, from the template and values it keeps."""

    template: str
    values: dict


def t_later(message: str, /, **values) -> Later:
    """`message` (an English sentence, a literal like t()'s) with its `{named}` placeholders filled, in English; the
    template and values are kept so `said()` can write it in any language later. A value may itself be a `Later`."""
    english = Later(_fill(message, message, values))
    english.template, english.values = message, values
    return english


def said(text: str) -> str:
    """`text` in the current language: a `Later` is translated now (its `Later` values too, and its float values
    written the language's way); any other string is looked up as a sentence marked with `N_()` (a schema rule's
    message), and returned as it is when the catalogue does not have it."""
    if not isinstance(text, Later):
        return translated(text)
    return t(text.template, **{name: _said_value(value) for name, value in text.values.items()})


def _said_value(value):
    if isinstance(value, Later):
        return said(value)
    if isinstance(value, float) and _language.get() != DEFAULT_LANGUAGE:  # 25.3 MB is 25,3 MB in German
        from babel.numbers import format_decimal

        return format_decimal(value, locale=locale())
    return value


def labels_in_every_language(labels: Callable[[], Mapping[str, str]]) -> dict[str, str]:
    """label -> key, for the labels `labels()` gives (key -> label) in every language: a control bound to the link
    writes the label its reader saw, so a German reader's link (`div_period=Jahr`, `status=unterzeichnet`) opens the
    same choice in English, and the other way round."""
    by_label: dict[str, str] = {}
    for code in LANGUAGES:
        with use_language(code):
            by_label.update({label: key for key, label in labels().items()})
    return by_label


def language_of_locale(browser_locale: str | None) -> str | None:
    """A browser's locale ("de-DE", "de", "en_GB") -> one of our languages, or None if we have none for it."""
    if not browser_locale:
        return None
    code = browser_locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


# --- keeping the catalogue in step with the code (python -m compute_ledger i18n-extract) -------------------------

PROJECT_ROOT = Path(__file__).parent.parent
SOURCES = ("compute_ledger", "pages", "dashboard.py")  # where t() and tn() are looked for, relative to the root
# The catalogue's header dates stay put, so that extracting again changes only the sentences (clean merges).
_FIXED_DATE = datetime.datetime(2026, 12, 6, tzinfo=datetime.timezone.utc)


def extract_messages(root: Path = PROJECT_ROOT):
    """Every t()/tn() sentence in the code, as a Babel catalogue (a template: msgids only, with their places)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    template = Catalog(project="AI Compute Ledger", fuzzy=False)
    files = []
    for source in SOURCES:
        path = root / source
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for file in files:
        relative = file.relative_to(root).as_posix()
        for lineno, message, comments, _ in extract_from_file("python", str(file), keywords=KEYWORDS,
                                                              comment_tags=("i18n:",), strip_comment_tags=True):
            template.add(message, locations=[(relative, lineno)], auto_comments=comments)
    return template


def update_catalogues(root: Path = PROJECT_ROOT) -> list[str]:
    """Write messages.pot from the code, and bring each language's messages.po in step with it: new sentences
    added untranslated, sentences no longer in the code dropped, translations kept. Returns what it did."""
    from babel.messages.pofile import write_po

    template = extract_messages(root)
    done = []
    # The template (not in git: it is made from the code) says where each sentence is used; the catalogues do not,
    # and have one line per sentence, sorted, with a fixed header: helpers adding sentences to different pages at
    # the same time then change different lines, and git merges their work by itself.
    with (LOCALES_DIR / "messages.pot").open("wb") as pot:
        write_po(pot, template, width=0, sort_output=True)
    done.append(f"messages.pot: {len(template)} sentences")
    for code in LANGUAGES:
        if code == DEFAULT_LANGUAGE:
            continue
        path = catalogue_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as po:
                catalogue = read_po(po, locale=code)
        else:
            from babel.messages.catalog import Catalog
            catalogue = Catalog(locale=code, project="AI Compute Ledger", fuzzy=False)
        catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalogue.obsolete.clear()  # a sentence no longer in the code is no longer translated (git keeps it)
        catalogue.header_comment = f"# The '{code}' sentences of AI Compute Ledger: see docs/translating.md."
        catalogue.msgid_bugs_address = ""
        catalogue.creation_date = catalogue.revision_date = _FIXED_DATE
        catalogue.last_translator = catalogue.language_team = "AI Compute Ledger"
        catalogue.version = "1"
        missing = sum(1 for m in catalogue if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))
        with path.open("wb") as po:
            write_po(po, catalogue, width=0, sort_output=True, ignore_obsolete=True, no_location=True)
        # untranslated: the developer's command line, not the app
        done.append(f"{code}: {len(catalogue)} sentences, {missing} still to translate ({path.relative_to(root)})")
    return done
