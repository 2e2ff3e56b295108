"""The input rules: what a typed or imported value, note, period and file name may be.

One home for every rule, with its message written once, so the entry grid
(``crimedata.forms``), the upload page and the import commands
(``crimedata.importers``) accept and refuse exactly the same text in the same
words. A message is a phrase that completes its subject: a file problem reads
"Row 3, value: " + message, the grid "Robbery for April 2016 " + message.

Pure: no Django and no database, so every rule is unit tested on its own.
The column functions at the end apply the same rules to a whole pandas column
at once (imports of a million rows); the text of every message still comes
from the single-value functions.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

import pandas as pd

from crimedata.periods import month_label

# --- Whole numbers (counts and populations) --------------------------------------------------

WHOLE_NUMBER = "must be a whole number of 0 or more"
# More digits than any count or population can have; also keeps int() away from
# texts of thousands of digits.
MAX_DIGITS = 15

# Digits 0-9 only (``\d`` would also match other scripts' digits), with
# thousands separators only between groups of three: "1,234" and "12,345,678".
_PLAIN = r"[0-9]+"
_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+"
_ACCEPTED = re.compile(rf"(?:{_PLAIN}|{_GROUPED})")
_SIGNED = re.compile(r"[+\-\u2212\u2013][0-9.,\s]*[0-9][0-9.,\s]*")
_SCIENTIFIC = re.compile(r"[0-9]*\.?[0-9]+[eE][+\-]?[0-9]+")
_DECIMAL = re.compile(r"[0-9,]*\.[0-9]*")
_COMMAS = re.compile(r"[0-9,]*,[0-9,]*")
_SPACED = re.compile(r"[0-9][0-9,\s]*\s[0-9,\s]*[0-9]")

# Control characters a note cannot hold: everything below a space except tab,
# line feed and carriage return (typed line breaks), plus DEL. PostgreSQL
# cannot store a NUL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RuleError(ValueError):
    """Text refused by a rule; ``str()`` is the message (a phrase completing its subject)."""


def _shown(text: str, limit: int = 30) -> str:
    """The text as a message quotes it: '1,2,3,4' (long texts shortened)."""
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def control_character_problem(text: str) -> str | None:
    """A message if ``text`` holds a control character (a NUL byte, a bell ...), else None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return ("contains a NUL character (a zero byte, usually left by copying from another program or by a "
                "damaged file), which cannot be stored: delete it")
    return f"contains a control character (U+{ord(char):04X}), which cannot be stored: delete it"


def whole_number_problem(text: str) -> str:
    """Why ``text`` (stripped, not blank) is not an accepted whole number: the specific reason where
    there is one, so "1e3" is named as scientific notation rather than just "not a number"."""
    control = control_character_problem(text)
    if control:
        return control
    if text.startswith("="):
        return (f"{WHOLE_NUMBER}, but the cell holds a formula ({_shown(text)}): copy the cells and paste them "
                "back as values only (Paste Special, then Values), or type the number")
    for char in text:
        if not ("0" <= char <= "9") and (char.isdigit() or unicodedata.category(char).startswith("N")):
            name = unicodedata.name(char, "a character").lower()
            return f"{WHOLE_NUMBER}, typed with the digits 0 to 9 ({_shown(char)} is {name})"
    if _SIGNED.fullmatch(text):
        return f"{WHOLE_NUMBER}, written without a plus or minus sign ({_shown(text)})"
    if _SCIENTIFIC.fullmatch(text):
        return f"{WHOLE_NUMBER}, written out in full rather than in scientific notation ({_shown(text)})"
    if _DECIMAL.fullmatch(text):
        return f"{WHOLE_NUMBER}, without a decimal point ({_shown(text)})"
    if _COMMAS.fullmatch(text):
        return f"{WHOLE_NUMBER}, with commas only between groups of three digits as in 1,234 (not {_shown(text)})"
    if _SPACED.fullmatch(text):
        return f"{WHOLE_NUMBER}, written without spaces ({_shown(text)})"
    if _ACCEPTED.fullmatch(text):
        return f"{WHOLE_NUMBER} of at most {MAX_DIGITS} digits"
    return WHOLE_NUMBER


def whole_number(text: str) -> int | None:
    """A typed count or population: '' (or spaces) → None; '1234' and '1,234' → 1234.

    Raises RuleError, with the reason, for anything else: signs ('-0', '+5'),
    decimals ('7.0000000000000001'), scientific notation ('1e3'), commas out of
    place ('1,2,3,4'), spaces inside ('12 34'), other scripts' digits ('²'),
    formulas ('=SUM(E2:E3)') and control characters.
    """
    text = text.strip()
    if text == "":
        return None
    if _ACCEPTED.fullmatch(text):
        digits = text.replace(",", "")
        if len(digits.lstrip("0")) <= MAX_DIGITS:
            return int(digits)
    raise RuleError(whole_number_problem(text))


# No Kent district records anything like this many of one thing in a month; a
# bigger number is a column slip (a population, a phone number, a date serial).
MAX_PLAUSIBLE_PER_MONTH = 100_000
IMPLAUSIBLE_COUNT = (
    "is too large to be a count for one district in that period; check the number, and that it is in the right "
    "column"
)


def implausible_count(value: int, months: int) -> bool:
    """A count no district could have recorded in ``months`` months (see IMPLAUSIBLE_COUNT)."""
    return value > MAX_PLAUSIBLE_PER_MONTH * max(months, 1)


def ascii_int(text: str | None) -> int | None:
    """A number from a URL parameter: the digits 0-9 only ('²' and '٣' are digits to Python's
    ``isdigit`` but not to ``int``), at most 18 of them; None for anything else."""
    if text and len(text) <= 18 and text.isascii() and text.isdigit():
        return int(text)
    return None


# --- Notes -----------------------------------------------------------------------------------

NOTE_MAX_LENGTH = 1000


def note_problem(text: str) -> str | None:
    """Why a note (a figure's note, a correction's reason, a sign-off's note) cannot be stored, or None.

    The same limit everywhere: a note too long for the grid could otherwise be
    stored by an upload and then stop every later save of that quarter's grid.
    """
    control = control_character_problem(text)
    if control:
        return control
    if len(text) > NOTE_MAX_LENGTH:
        return f"must be {NOTE_MAX_LENGTH:,} characters or fewer (it has {len(text):,})"
    if text.startswith("="):
        return ("starts with '=', which spreadsheets treat as a formula: paste values only, or start the note "
                "with a word")
    return None


# --- Periods ---------------------------------------------------------------------------------


def period_end_problem(end_month: int, current_month: int) -> str | None:
    """Refuse a period that ends after the current month (month indexes, see crimedata.periods):
    nobody can have counted it yet, and a figure typed for 2099 is a typing slip."""
    if end_month > current_month:
        return (f"is in the future ({month_label(end_month)}): a period cannot end after the current month "
                f"({month_label(current_month)})")
    return None


# --- File names ------------------------------------------------------------------------------

FILE_NAME_MAX_LENGTH = 200


def shortened_file_name(name: str, limit: int = FILE_NAME_MAX_LENGTH) -> str:
    """The file's own name (never a folder the browser sent), at most ``limit`` characters,
    keeping its extension: a 250-character 'figures….csv' must still be read as a CSV."""
    name = PurePath(name.replace("\\", "/")).name
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) > 10:
        suffix = ""
    return name[: limit - len(suffix)] + suffix


# --- Whole columns (imports) -----------------------------------------------------------------


def whole_number_column(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``whole_number`` for a column of stripped texts: the values (float, NaN when blank or refused)
    and a message per row ('' when accepted or blank). Only refused texts go through Python."""
    accepted = texts.str.fullmatch(_ACCEPTED.pattern, na=False)
    digits = texts.where(accepted).str.replace(",", "", regex=False)
    accepted &= digits.str.lstrip("0").str.len().fillna(0) <= MAX_DIGITS
    values = pd.to_numeric(digits.where(accepted), errors="coerce")
    messages = pd.Series("", index=texts.index, dtype=object)
    refused = ~accepted & (texts != "")
    if refused.any():
        messages[refused] = texts[refused].map(whole_number_problem)
    return values, messages


def note_column(texts: pd.Series) -> pd.Series:
    """``note_problem`` for a column: a message per row ('' when the note is fine)."""
    suspect = (
        texts.str.contains(_CONTROL.pattern, regex=True, na=False)
        | (texts.str.len() > NOTE_MAX_LENGTH)
        | texts.str.startswith("=", na=False)
    )
    messages = pd.Series("", index=texts.index, dtype=object)
    if suspect.any():
        messages[suspect] = texts[suspect].map(lambda t: note_problem(t) or "")
    return messages


def control_character_column(texts: pd.Series) -> pd.Series:
    """``control_character_problem`` for a column: a message per row ('' when clean)."""
    suspect = texts.str.contains(_CONTROL.pattern, regex=True, na=False)
    messages = pd.Series("", index=texts.index, dtype=object)
    if suspect.any():
        messages[suspect] = texts[suspect].map(lambda t: control_character_problem(t) or "")
    return messages


def without_control_characters(texts: pd.Series) -> pd.Series:
    return texts.str.replace(_CONTROL.pattern, "", regex=True)
