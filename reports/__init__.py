"""Statistics for the Lokalråd, the SSP-Følgegruppe and the yearly status."""
