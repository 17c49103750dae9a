import sys

from compute_ledger.brief.feed import write_feeds
from compute_ledger.data.cli import main

# The change feeds are written by the build but made by the brief layer (the Overview's sentences, the counting
# model's effects), which the data step may not import: the command line hands them in.
sys.exit(main(outputs=(write_feeds,)))
