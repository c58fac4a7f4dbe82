"""Upload's file tab for what is not a CSV: a spreadsheet becomes the CSV path's table (its
sheet chosen, its header found); a phyphox export is read with its own clock and goes
straight to the same confirmation and verified write (nothing to ask: the file says when
each sample was taken)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from bucket_client import Property
from dashboard.shared.text import count_of, plain
from dashboard.upload import phyphox, workbooks
from dashboard.upload.phyphox_page import phyphox_ui
from dashboard.upload.uploaded_bytes import Upload

FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods", "zip"]


def other_file_ui(
    upload: Upload, prop: Property, write: Callable[[Property, pd.DataFrame, str], None]
) -> Upload | None:
    """The CSV path's input for ``upload`` (itself, for a CSV), or None when this handled
    it (a phyphox export, written through ``write``) or it cannot be read (said)."""
    name = upload.name.lower()
    try:
        if name.endswith(".zip"):
            if not phyphox.is_phyphox_zip(upload.data):
                st.error(
                    f"{plain(upload.name)} is a zip file but not a phyphox export (it has no "
                    "meta/time.csv). Upload the CSV or spreadsheet inside it instead."
                )
                return None
            phyphox_ui(upload, phyphox.read_zip(upload.data), prop, write)
            return None
        if workbooks.is_workbook(name):
            if phyphox.is_phyphox_workbook(upload.data):
                phyphox_ui(upload, phyphox.read_workbook(upload.data), prop, write)
                return None
            return sheet_ui(upload)
    except (workbooks.WorkbookError, phyphox.PhyphoxError, KeyError, ValueError) as error:
        st.error(f"{plain(upload.name)} cannot be read: {plain(str(error))}")
        return None
    return upload


def sheet_ui(upload: Upload) -> Upload | None:
    names = workbooks.sheet_names(upload.data)
    if not names:
        st.error(f"{plain(upload.name)} has no sheets.")
        return None
    chosen = st.selectbox("Sheet", names, key=f"upload_sheet_{upload.file_id}")
    sheet = workbooks.read_sheet(upload.data, chosen)
    if sheet.data_rows == 0:
        st.error(f"The sheet {plain(chosen)} has no rows of values under a header.")
        return None
    if sheet.header:
        st.caption(
            f"The table's header is on row {sheet.header + 1} of the sheet: "
            f"{count_of(sheet.header, 'row')} above it (a title, notes) are not read."
        )
    text = workbooks.sheet_csv(sheet)
    read = (
        f"sheet {plain(chosen)} · header on row {sheet.header + 1} · "
        f"{count_of(sheet.data_rows, 'row')} under it"
    )
    return Upload(
        f"{upload.name} · {chosen}", f"{upload.file_id}:{chosen}", len(text), text, read_from=read
    )
