import sys

# Keeping the translation catalogues in step with the code is a developer's step, not the data's (docs/translating.md).
if sys.argv[1:2] == ["i18n-extract"]:
    from compute_ledger.i18n import update_catalogues

    print("\n".join(update_catalogues()))
    sys.exit(0)

from compute_ledger.brief.feed import write_feeds  # noqa: E402
from compute_ledger.data.cli import main  # noqa: E402

# The change feeds are written by the build but made by the brief layer (the Overview's sentences, the counting
# model's effects), which the data step may not import: the command line hands them in.
sys.exit(main(outputs=(write_feeds,)))
