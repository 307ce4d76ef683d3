# Danish: the day with a full stop ("7. dec"), as Danish is written.
DATE_FORMAT = "j. F Y"  # 1. januar 2026
DATETIME_FORMAT = "j. F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
# The project's own names.
ABBR_DATE_FORMAT = "j. b Y"  # 1. jan 2026
ABBR_DATETIME_FORMAT = "j. b Y H:i"
ABBR_DATETIME_SECONDS_FORMAT = "j. b Y H:i:s"
DAY_MONTH_FORMAT = "j. b"  # 7. dec
DAY_MONTH_TIME_FORMAT = "j. b H:i"
MONTH_ABBR_YEAR_FORMAT = "b Y"
WEEKDAY_DATE_FORMAT = "l j. F Y"  # mandag 7. december 2026
WEEKDAY_DATETIME_FORMAT = "l j. F Y H:i"
WEEKDAY_DATETIME_AT_FORMAT = "l j. F Y \\k\\l. H:i"  # mandag 7. december 2026 kl. 14:00
WEEKDAY_DAY_MONTH_TIME_FORMAT = "D j. b H:i"  # man 7. dec 14:00
WEEKDAY_ABBR_DATETIME_FORMAT = "D j. b Y H:i"
