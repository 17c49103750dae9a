"""AI Compute Ledger: loading and validation, metrics, chart builders. No page code lives here."""
