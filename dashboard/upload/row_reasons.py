"""Why each row of a file is bad, one byte per row.

A CSV's checks say, per row and column, what is wrong ('' when fine). Kept as an array of
Python strings that took 8 bytes a row per check: five checks of a 5.5-million-row file held
220 MB of empty strings. Here a row holds a small number naming its reason.
"""

from __future__ import annotations

import numpy as np


class RowReasons:
    """A reason per row: ``reasons[i]`` is its text ('' when the row is fine)."""

    def __init__(self, rows: int):
        self.codes = np.zeros(rows, dtype=np.uint8)
        self.texts = [""]

    def mark(self, where, text: str) -> None:
        """Rows ``where`` (a mask or indices) are bad for ``text`` (a later mark wins)."""
        if text not in self.texts:
            if len(self.texts) == 255:
                text = "more than 250 different problems"  # never more than a byte
            if text not in self.texts:
                self.texts.append(text)
        self.codes[where] = self.texts.index(text)

    @property
    def bad(self) -> np.ndarray:
        return self.codes != 0

    def __getitem__(self, row: int) -> str:
        return self.texts[self.codes[row]]

    def __len__(self) -> int:
        return len(self.codes)
