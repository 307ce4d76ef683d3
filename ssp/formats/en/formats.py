# English (British order): "7 Dec", "1 January 2026", never the Danish "7. dec".
DATE_FORMAT = "j F Y"  # 1 January 2026
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# The project's own names.
ABBR_DATE_FORMAT = "j M Y"  # 1 Jan 2026
ABBR_DATETIME_FORMAT = "j M Y H:i"
ABBR_DATETIME_SECONDS_FORMAT = "j M Y H:i:s"
DAY_MONTH_FORMAT = "j M"  # 7 Dec
DAY_MONTH_TIME_FORMAT = "j M H:i"
MONTH_ABBR_YEAR_FORMAT = "M Y"
WEEKDAY_DATE_FORMAT = "l j F Y"  # Monday 7 December 2026
WEEKDAY_DATETIME_FORMAT = "l j F Y H:i"
WEEKDAY_DATETIME_AT_FORMAT = "l j F Y \\a\\t H:i"  # Monday 7 December 2026 at 14:00
WEEKDAY_DAY_MONTH_TIME_FORMAT = "D j M H:i"  # Mon 7 Dec 14:00
WEEKDAY_ABBR_DATETIME_FORMAT = "D j M Y H:i"
