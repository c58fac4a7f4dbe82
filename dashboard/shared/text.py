"""Showing user text safely and times humanely."""

from __future__ import annotations

import datetime as dt
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """``1 property``, ``3 properties``, ``1,200 data points``: the number and the right form."""
    if n == 1:
        return f"1 {noun}"
    if plural is None:
        plural = (
            noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
        )
    return f"{n:,} {plural}"


def a_or_an(phrase: str) -> str:
    """``a Temperature``, ``an Accelerometer``, ``an 8-bit``, ``a UV``: the article by the
    sound of the phrase's first letter (an initial capital pair, an acronym, is spelled)."""
    word = phrase.strip()
    if not word:
        return phrase
    first = word.split()[0]
    if first[:1].isdigit():
        return ("an " if first[:1] == "8" or first.startswith(("11", "18")) else "a ") + phrase
    spelled = len(first) > 1 and first[:2].isupper()
    vowel = first[0].lower() in ("fhlmnrsx" if spelled else "aeiou")
    if not spelled and first.lower().startswith(("uni", "use", "usu", "one", "eu")):
        vowel = False
    return ("an " if vowel else "a ") + phrase


def sentence(text: str) -> str:
    """``text`` as a sentence starts: its first letter capital (the rest as written)."""
    return text[:1].upper() + text[1:]


def about(seconds: float) -> str:
    """``under a second`` or ``about 3 minutes``: how long something takes, in a sentence."""
    return "under a second" if seconds < 1 else "about " + duration(seconds)


# Streamlit's Markdown turns bare web and e-mail addresses into links, escaped or not.
# An invisible WORD JOINER inside the run it looks for ("http:", "www.", "@") shows the
# same text and breaks the detection.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=[a-z])(?=\\?[:@])|(?<=www)(?=\\?\.)", re.IGNORECASE)


def plain(text: str | None) -> str:
    """Escape Markdown (and so HTML) so a name like ``<b>x</b>`` shows as typed, and
    keep addresses in it from becoming links."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text or ""))
    return _AUTOLINK.sub(WORD_JOINER, escaped)


_LABEL_MARKUP = re.compile(r"([\\`*_\[\]<>~$|])")


def plain_label(text: str | None) -> str:
    """For a widget's label (Streamlit reads bold, italics, code, links and images there):
    what could make a link, an image or markup escaped, brackets and units left as typed."""
    escaped = _LABEL_MARKUP.sub(r"\\\1", str(text or ""))
    return _AUTOLINK.sub(WORD_JOINER, escaped)


def plain_table(frame):
    """A table for ``st.table``, which renders its cells as Markdown: every text cell, the
    index and the headers made plain."""
    out = frame.copy()
    out.index = [plain(str(i)) for i in out.index]
    out.columns = [plain(str(c)) for c in out.columns]
    for column in out.columns:
        out[column] = out[column].map(lambda v: plain(v) if isinstance(v, str) else v)
    return out


def ago(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """'3 minutes ago', 'just now', '2 days ago'."""
    if when is None:
        return "never"
    now = now or dt.datetime.now(dt.UTC)
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def short_number(value) -> str:
    """A value for a sentence; a missing one (null in Bucket's answer) reads "no value"."""
    if value is None or (isinstance(value, float) and value != value):
        return "no value"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def duration(seconds: float) -> str:
    """'45 s', '12 minutes', '3.5 hours', '2.0 days'."""
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 1 else "under a second"
    if seconds < 5400:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 172_800:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.1f} days"


def dimensions_line(dimensions) -> str:
    """``x (m/s²), y (m/s²), z (m/s²)``, escaped for Markdown."""
    return ", ".join(plain(d.label) for d in dimensions)
