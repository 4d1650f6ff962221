"""English dates as Europe writes them (issue #16): day before month, a 24-hour clock, the week
starting on Monday. Django's own `en` formats are American ("11/30/2026", "Nov. 23, 2026", "2 p.m."),
which reads wrongly to every partner of a Baltic Sea programme. Numbers keep Django's English
separators."""

DATE_FORMAT = "j M Y"  # 23 Nov 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # never 11/30/2026 or 30/11/2026: a month name cannot be misread
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
]
