"""A phyphox export on Upload's file tab: the recording's clock said, its table chosen (or,
where none fits the property, the type to make said, with that type's CSV template), and the
samples handed to the verified write."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from bucket_client import Property
from dashboard.shared import data
from dashboard.shared.text import a_or_an, count_of, plain
from dashboard.shared.zones import browser_tz
from dashboard.upload import phyphox
from dashboard.upload import phyphox_columns as columns
from dashboard.upload.csv_import import template_csv
from dashboard.upload.uploaded_bytes import Upload


def phyphox_ui(
    upload: Upload,
    recording: phyphox.Recording,
    prop: Property,
    write: Callable[[Property, pd.DataFrame, str], None],
) -> None:
    tz = browser_tz()
    started = recording.started.tz_convert(tz)
    st.info(
        f"A phyphox recording, started {started:%Y-%m-%d %H:%M:%S} ({plain(tz)}), from its "
        "time table: each sample is stored at the moment phyphox took it.",
        icon=":material/sensors:",
    )
    fitting = phyphox.tables_for(recording, prop)
    if not fitting:
        say_which_type_to_make(recording, prop)
        return
    table = st.selectbox(
        "Table",
        fitting,
        format_func=lambda n: f"{n} ({count_of(len(recording.tables[n]), 'row')})",
        key=f"upload_phyphox_{upload.file_id}",
    )
    if columns.is_stopwatch(recording.tables, table) and not stopwatch_confirmed(upload, prop):
        return
    rows = phyphox.samples(recording, table, prop)
    empty = rows.isna().any(axis=1)
    if empty.any():
        st.warning(
            f"{count_of(int(empty.sum()), 'row')} of {plain(table)} have no value in a column "
            "(phyphox writes NaN where a sensor gave none): they are left out."
        )
        rows = rows[~empty]
    same = rows.index.duplicated(keep="first")
    if same.any():
        st.warning(
            f"{count_of(int(same.sum()), 'sample')} fall in the same millisecond as the one "
            "before (phyphox records faster than Bucket's millisecond times); Bucket keeps "
            "one value per time."
        )
        if not st.checkbox(
            "Write the first sample of each millisecond", key=f"upload_phyphox_ms_{upload.file_id}"
        ):
            return
        rows = rows[~same]
    if rows.empty:
        st.error("Nothing to write.")
        return
    st.dataframe(rows.head(10).tz_convert(tz), width="stretch")
    write(prop, rows.sort_index(), f"{upload.name} · {table}")


def say_which_type_to_make(recording: phyphox.Recording, prop: Property) -> None:
    """None of the tables fits ``prop``: which type each would fill, with that type's CSV
    template, or the columns an own type would need."""
    types = {t.id: t for t in data.load_types()}
    lines, offered = [], []
    for name, table in recording.tables.items():
        fitting = [t for t in columns.types_fitting(recording.tables, name) if t in types]
        if fitting:
            named = " or ".join(f"{plain(types[t].name)} ({t})" for t in fitting)
            lines.append(f"- {plain(name)}: fits {a_or_an(named)} property")
            offered += [t for t in fitting if t not in offered]
        elif columns.time_column(table) is not None:
            rest = [
                plain(columns.base(c)) for c in table.columns if c != columns.time_column(table)
            ]
            lines.append(
                f"- {plain(name)}: fits none of Bucket's types; make your own type (Things, "
                f"New type) with the dimensions {', '.join(rest)}"
            )
    st.error(
        f"No table of this recording has the columns of {a_or_an(plain(prop.type.name))} property. "
        "Upload it into a property of the type its table fits (make one on its thing's page, "
        "New property):\n\n" + ("\n".join(lines) or "- it has no table with a time column"),
        icon=":material/table_view:",
    )
    for type_id in offered:
        st.download_button(
            f"Template CSV for {types[type_id].name}",
            template_csv(types[type_id]),
            f"{type_id.lower()}-template.csv",
            mime="text/csv",
            key=f"upload_phyphox_template_{type_id}",
        )


def stopwatch_confirmed(upload: Upload, prop: Property) -> bool:
    """Which stopwatch recorded the table, asked (no answer chosen for the person): its
    numbers are illuminance or distance, and the file does not say."""
    answer = st.radio(
        "Which phyphox experiment recorded this file?",
        list(columns.STOPWATCH_EXPERIMENTS),
        format_func=columns.STOPWATCH_EXPERIMENTS.get,
        index=None,
        key=f"upload_phyphox_stopwatch_{upload.file_id}",
        help="Both stopwatches write the same table, headed Illuminance (lx); the Proximity "
        "Stopwatch's numbers are distances in cm.",
    )
    if answer is None:
        return False
    if answer != prop.type.id:
        st.error(
            f"A recording of {columns.STOPWATCH_EXPERIMENTS[answer]} belongs in a "
            f"{answer.title()} ({answer}) property, not in this {plain(prop.type.name)} one."
        )
        return False
    return True
