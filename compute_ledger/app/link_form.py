"""Links in the README's form, kept in the address bar.

Streamlit's `bind="query-params"` reads and writes a widget's *labels*, repeated (`provider=AWS&provider=CoreWeave`,
`overlaps=true`). Our public links may also name ids, comma-separated (`provider=aws,coreweave`, `overlaps=include`).
The app reads those itself, but the binding cannot: it would drop them from the address, so a reload or a copied
address would lose the filter. So, on the run that reads a new link and before its widgets are drawn, the address
is rewritten in the binding's own form and the script runs once more (`use_binding_form`).

A page's own inputs are checked the same way before they are first drawn: a value they cannot take is dropped from
the address and named in a warning (`drop_unusable`), never silently replaced or truncated by the binding.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import streamlit as st
from streamlit.errors import StreamlitAPIException

from compute_ledger.analysis.links import LinkProblem
from compute_ledger.app import text


def use_binding_form(wanted: Mapping[str, list[str]], keys: Iterable[str]) -> None:
    """Make the address's `keys` say `wanted` (empty lists left out); if that changes the address, run again."""
    keys = list(keys)
    current = {key: st.query_params.get_all(key) for key in keys if key in st.query_params}
    target = {key: list(values) for key, values in wanted.items() if values}
    if current == target:
        return
    try:
        for key in keys:
            if key in st.query_params:
                del st.query_params[key]
        for key, values in target.items():
            st.query_params[key] = values
    except StreamlitAPIException:
        # Already bound to a widget (a page visited earlier in this session): from here the binding keeps the
        # address itself, in its own form.
        return
    st.rerun()


def use_reader_language(inputs: str, relabelled: Callable[[dict[str, list[str]]], Mapping[str, list[str]]]) -> None:
    """Before a page's `inputs` (a name for them) are first drawn in a session: the link's labels that a binding in
    another language wrote (`div_period=Jahr` opened in English) rewritten in the reader's language
    (`relabelled(params)` gives the params to change), and the script run again, so the binding reads them. Call it
    before `drop_unusable` with the same name."""
    checked = f"{inputs}_link_relabelled"
    if st.session_state.get(checked):
        return
    st.session_state[checked] = True
    changed = relabelled({key: st.query_params.get_all(key) for key in st.query_params})
    if changed:
        for param, values in changed.items():
            st.query_params[param] = list(values)
        st.rerun()


def drop_unusable(inputs: str, problems_of: Callable[[dict[str, list[str]]], list[LinkProblem]]) -> None:
    """Before a page's `inputs` (a name for them) are first drawn in a session: drop from the address the link's
    values they cannot take (`problems_of`, from the analysis step) and run again, so Streamlit's binding never
    sees them; then name each in a warning, until the next run."""
    checked, said = f"{inputs}_link_checked", f"{inputs}_link_warnings"
    if not st.session_state.get(checked):
        st.session_state[checked] = True
        problems = problems_of({key: st.query_params.get_all(key) for key in st.query_params})
        if problems:
            for problem in problems:  # the values used stay in the address; the refused ones leave it
                del st.query_params[problem.param]
                if problem.keep:
                    st.query_params[problem.param] = list(problem.keep)
            st.session_state[said] = [problem.message for problem in problems]
            st.rerun()
    for warning in st.session_state.pop(said, []):
        text.warning(warning, icon=":material/link_off:")
