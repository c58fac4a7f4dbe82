"""An uploaded file's bytes, once.

Streamlit returns a widget's value as a deep copy on every run, and for ``st.file_uploader``
that copies the whole file (a 195 MB CSV: 195 MB more on each run, beside the bytes its
upload store keeps). The page takes the stored bytes themselves from the run's upload store
(the record the uploader's value was made from) and lets the copy go before the file is
read; where that store cannot be asked (AppTest), the copy serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from streamlit.runtime.scriptrunner import get_script_run_ctx


@dataclass(frozen=True)
class Upload:
    """What the page needs of an uploaded file: its name, id, size and bytes."""

    name: str
    file_id: str
    size: int
    data: bytes
    # a spreadsheet's sheet, as CSV: what was read of it, said instead of a CSV's separator
    read_from: str | None = None


def taken(upload) -> Upload:
    """The file as ``Upload``, its bytes the stored ones: drop ``upload`` after this."""
    data = None
    ctx = get_script_run_ctx(suppress_warning=True)
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if manager is not None:
        records = manager.get_files(ctx.session_id, [upload.file_id])
        if len(records) == 1 and len(records[0].data) == upload.size:
            data = records[0].data
    if data is None:
        data = upload.getvalue()
    return Upload(upload.name, upload.file_id, upload.size, data)
