# "5 déc. 2026" and "5 déc. 2026 à 14:03" (N: the month's short name, with its period).
DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = r"j N Y \à H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
