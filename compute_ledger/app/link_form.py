"""Links in the README's form, kept in the address bar.

Streamlit's `bind="query-params"` reads and writes a widget's *labels*, repeated (`provider=AWS&provider=CoreWeave`,
`overlaps=true`). Our public links may also name ids, comma-separated (`provider=aws,coreweave`, `overlaps=include`).
The app reads those itself, but the binding cannot: it would drop them from the address, so a reload or a copied
address would lose the filter. So, on the run that reads a new link and before its widgets are drawn, the address
is rewritten in the binding's own form and the script runs once more.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st
from streamlit.errors import StreamlitAPIException


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
