import sys

from compute_ledger.cli import main

sys.exit(main())
