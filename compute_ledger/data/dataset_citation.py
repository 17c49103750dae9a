"""How to cite the dataset: APA-style text and a BibTeX entry, with the "as of" date, the link to the exact view
and the licence (the one datapackage.json declares: publish.LICENSE). Pure text, no Streamlit.

Dated by the data ("as of" its newest source), never by the clock, so the same view cites the same way tomorrow.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compute_ledger.data.publish import LICENSE, PACKAGE_NAME
from compute_ledger.i18n import t

# untranslated: the dataset's name, the same in every language
TITLE = "AI Compute Ledger: who buys AI compute from whom, for how much, and how much is built"
AUTHOR = "AI Compute Ledger"


@dataclass(frozen=True)
class Citation:
    apa: str  # plain text (the title is not in italics: it may be shown as Markdown or printed)
    bibtex: str
    licence: str  # "Licence: CC-BY-4.0 (Creative Commons Attribution 4.0, https://…)"


def _bibtex_text(text: str) -> str:
    # The characters LaTeX reads as commands inside a BibTeX field (URLs go in `url`, which takes them as they are).
    for char in ("\\", "{", "}", "%", "&", "#", "$", "_"):
        text = text.replace(char, "\\" + char if char != "\\" else "\\textbackslash{}")
    return text


def citation(as_of: dt.date | None, link: str) -> Citation:
    """The APA text and the licence in the reader's language (the dataset's title is its name: English in both);
    the BibTeX entry in English, as a machine reads it."""
    year = str(as_of.year) if as_of else "n.d."
    # untranslated: the BibTeX entry's version, in English
    version = f"data as of {as_of.isoformat()}" if as_of else "undated data"
    licence = t("Licence: {name} ({title}, {address})", name=LICENSE["name"], title=LICENSE["title"],
                address=LICENSE["path"])
    apa = t("{author}. ({year}). {title} ({version}) [Data set]. {link}", author=AUTHOR,
            year=str(as_of.year) if as_of else t("n.d."), title=TITLE,
            version=t("data as of {date}", date=as_of.isoformat()) if as_of else t("undated data"), link=link)
    key = f"{PACKAGE_NAME.replace('-', '_')}_{as_of.isoformat().replace('-', '_') if as_of else 'undated'}"
    fields = [("author", f"{{{AUTHOR}}}"), ("title", _bibtex_text(TITLE)), ("year", year),
              ("version", version), ("howpublished", "Data set"),
              ("note", _bibtex_text(f"{version}; licence {LICENSE['name']}")), ("url", link)]
    bibtex = f"@misc{{{key},\n" + ",\n".join(f"  {name} = {{{value}}}" for name, value in fields) + "\n}"
    return Citation(apa=apa, bibtex=bibtex, licence=licence)
