"""The house rules a newcomer relies on: imports flow one way (import-linter's contracts in pyproject.toml), and
pages only render a view (no Polars, no sums, no sentences built from numbers)."""
from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import REPO

PAGES = sorted((REPO / "pages").glob("*.py"))


def test_layer_contracts_hold():
    # import-linter from this interpreter's environment (the test command does not put .venv/bin on PATH).
    check = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    result = subprocess.run([sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True)
    assert "Contracts: 3 kept, 0 broken" in result.stdout, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0


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
