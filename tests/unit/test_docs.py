"""The methodology a reader finds in the README is the one the Data page shows (docs/methodology.md)."""
from tests.conftest import REPO


def test_readme_carries_the_methodology_word_for_word():
    methodology = (REPO / "docs" / "methodology.md").read_text().split("\n", 1)[1]  # below its own title
    assert methodology.strip() in (REPO / "README.md").read_text()
