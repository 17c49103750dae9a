"""The docs match what they describe: the README's methodology is the Data page's (docs/methodology.md), and every
function docs/where-numbers-come-from.md names exists where it says."""
import ast
import re

from tests.conftest import REPO


def test_readme_carries_the_methodology_word_for_word():
    methodology = (REPO / "docs" / "methodology.md").read_text().split("\n", 1)[1]  # below its own title
    assert methodology.strip() in (REPO / "README.md").read_text()



# "`analysis/news.py: deal_news`, `effect_on_totals`": a module under compute_ledger/, then names defined in it.
REFERENCE = re.compile(r"`([a-z_/]+\.py): ([A-Za-z_, ]+)`((?:, `[A-Za-z_]+`)*)")


def defined_names(module: str) -> set[str]:
    tree = ast.parse((REPO / "compute_ledger" / module).read_text())
    return ({n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            | {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)})


def test_every_function_named_in_where_numbers_come_from_exists():
    # A renamed function would leave a newcomer following a number on screen at a dead end.
    text = (REPO / "docs" / "where-numbers-come-from.md").read_text()
    named = [(m.group(1), name) for m in REFERENCE.finditer(text)
             for name in re.findall(r"[A-Za-z_]+", m.group(2)) + re.findall(r"`([A-Za-z_]+)`", m.group(3))]
    assert len(named) > 40  # the table is read, not skipped
    assert [f"{module}: {name}" for module, name in named if name not in defined_names(module)] == []
