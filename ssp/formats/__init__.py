"""The project's date formats per language (`FORMAT_MODULE_PATH`).

Templates and code name a format (`|date:"DATE_FORMAT"`, `date_format(d, "DAY_MONTH_FORMAT")`)
instead of writing a Danish pattern, so English readers get "7 Dec" and "1 January 2026"
where Danish readers get "7. dec" and "1. januar 2026". Every name is defined for both
languages (`tests/ssp/test_date_formats.py` checks it); Django's own names are overridden
where the English default is American ("Jan. 1, 2026")."""
