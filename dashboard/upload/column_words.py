"""What people call the common sensors' columns, in English and Dutch: a logger's or a
spreadsheet's header ("Tijdstip", "Temperatuur (°C)", "Luchtvochtigheid %") matched to the
type's dimension without the person choosing it. Names are compared as
``column_mapping.normalised`` leaves them: lower case words, units in brackets left out."""

from __future__ import annotations

TIME_WORDS = frozenset(
    {
        "timestamp", "time", "datetime", "date time", "date and time", "ts", "epoch", "unix",
        "t", "millis", "ms", "elapsed", "seconds", "date",
        # Dutch
        "tijd", "tijdstip", "tijdstempel", "datum", "datum tijd", "datum en tijd", "moment",
        # German and French, as loggers write them
        "zeit", "zeitpunkt", "zeitstempel", "heure",
    }
)  # fmt: skip

# a dimension's id (as Bucket's types name it) -> the column names that mean it
DIMENSION_WORDS = {
    "temperature": {
        "temperature", "temp", "air temperature", "temperatuur", "temp c", "luchttemperatuur",
    },
    "relative-humidity": {
        "humidity", "relative humidity", "rh", "hum", "vochtigheid", "luchtvochtigheid",
        "relatieve vochtigheid", "relatieve luchtvochtigheid", "vocht",
    },
    "illuminance": {
        "light", "illuminance", "lux", "light intensity", "licht", "lichtsterkte",
        "lichtintensiteit", "verlichtingssterkte",
    },
    "pressure": {
        "pressure", "air pressure", "barometer", "atmospheric pressure", "druk", "luchtdruk",
    },
}  # fmt: skip


def means(column: str, dimension_id: str) -> bool:
    """Whether a normalised column name is a common name of this dimension."""
    return column in DIMENSION_WORDS.get(dimension_id, ())
