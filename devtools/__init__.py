"""Developer tooling, installed in development and tests only (see `devtools/apps.py`)."""
