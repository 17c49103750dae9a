import sys

from compute_ledger.data.cli import main

sys.exit(main())
