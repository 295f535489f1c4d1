"""Text bound for spreadsheets: a cell that begins like a formula is neutralised."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text starting with = + - @ (or a tab or carriage return) gets a leading quote, so a
    spreadsheet shows it instead of running it; None becomes an empty cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value
