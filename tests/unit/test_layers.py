"""The house rules a newcomer relies on: imports flow one way (import-linter's contracts in pyproject.toml), and
pages only render a view (no Polars, no sums, no sentences built from numbers)."""
from __future__ import annotations

import ast
import shutil
import subprocess

from tests.conftest import REPO

PAGES = sorted((REPO / "pages").glob("*.py"))


def test_layer_contracts_hold():
    lint = shutil.which("lint-imports")
    assert lint, "lint-imports is missing: install requirements-dev.txt"
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_pages_import_no_computation():
    for page in PAGES:
        tree = ast.parse(page.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {m for m in imported if m.split(".")[0] in ("polars", "pandas", "numpy")}, page.name
        # Frame methods that compute: a page that calls one is working a number out itself.
        computing = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
                     and isinstance(node.func, ast.Attribute)} & {"sum", "filter", "group_by", "agg", "with_columns",
                                                                  "mean", "n_unique"}
        assert not computing, f"{page.name} computes: {sorted(computing)}"
