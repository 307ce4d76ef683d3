"""Pages of the cases app: concerns (logging and triage), cases, and the access log."""
