"""Probes of packed files through Upload's readers (issue 35): a phyphox zip, an .xlsx and an
.ods that are small on the wire and huge unpacked are refused with the limit they broke,
before any reader holds them; a file within the limits is still read. Each failed before
its fix (a 0.12 MB zip took +2,440 MB; a 4.8 KB .xlsx made calamine fill 12 GB)."""

from __future__ import annotations

import resource
import zipfile

import pytest

from dashboard.upload import phyphox, workbooks
from dashboard.upload.archive_limits import PHYPHOX_ZIP, ArchiveRefused, check_zip
from tests import archive_bombs
from tests.student_files import (
    write_ods,
    write_phyphox_xls,
    write_phyphox_zip,
    write_xls,
    write_xlsx,
)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_phyphox_zip_bomb_is_refused_by_its_packing_ratio():
    with pytest.raises(ArchiveRefused, match="packed 5.. times smaller.*at most 100 times"):
        phyphox.read_zip(archive_bombs.phyphox_zip_bomb(64))


def test_a_zip_member_that_holds_more_than_it_declares_is_refused():
    with pytest.raises(ArchiveRefused, match="holds more than the 1,000 bytes it declares"):
        phyphox.read_zip(archive_bombs.lying_zip())


def test_a_phyphox_zip_over_its_total_is_refused_without_unpacking():
    bomb = archive_bombs.phyphox_zip_bomb(210)
    before = _peak_mb()
    with pytest.raises(ArchiveRefused, match="unpacks to 2.. MB; a part may be at most 200 MB"):
        check_zip(bomb, PHYPHOX_ZIP)
    assert _peak_mb() - before < 50


def test_an_xlsx_of_millions_of_tiny_rows_is_refused():
    with pytest.raises(workbooks.WorkbookError, match="at most 100 times|at most 100 MB"):
        workbooks.sheet_names(archive_bombs.xlsx_of_rows(4_000_000))


def test_an_xlsx_over_the_cells_a_sheet_may_have_is_refused(tmp_path):
    """Stored (not packed), so no ratio catches it: the cells are counted."""
    packed = archive_bombs.xlsx_of_rows(2_500_000)
    stored = tmp_path / "stored.xlsx"
    with (
        zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as out,
        zipfile.ZipFile(__import__("io").BytesIO(packed)) as source,
    ):
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
    with pytest.raises(workbooks.WorkbookError, match="2,500,000 cells.*at most 2,000,000"):
        workbooks.sheet_names(stored.read_bytes())


def test_a_5_kb_xlsx_with_one_far_cell_is_refused_before_the_reader_fills_its_rectangle():
    before = _peak_mb()
    with pytest.raises(workbooks.WorkbookError, match="200,000 rows by 2,000 columns"):
        workbooks.read_sheet(archive_bombs.sparse_xlsx(), "Sheet")
    assert _peak_mb() - before < 50


def test_an_ods_of_repeated_rows_is_refused():
    with pytest.raises(workbooks.WorkbookError, match="1,000,000 rows by 100 columns"):
        workbooks.sheet_names(archive_bombs.ods_of_repeats())


def test_an_xls_over_its_size_is_refused_unread():
    with pytest.raises(workbooks.WorkbookError, match="over 20 MB"):
        workbooks.sheet_names(b"\xd0\xcf\x11\xe0" + b"\0" * 21_000_000)


def test_a_5_kb_xls_with_one_far_cell_is_refused_before_the_reader_fills_its_rectangle():
    """It took the reader to 1 GB: the sheet's extent is read from its records first."""
    before = _peak_mb()
    with pytest.raises(workbooks.WorkbookError, match="65,001 rows by 251 columns"):
        workbooks.read_sheet(archive_bombs.sparse_xls(), "Log")
    assert _peak_mb() - before < 50


def test_an_xls_that_is_no_compound_file_inside_is_refused_with_why():
    with pytest.raises(workbooks.WorkbookError, match="cannot be measured"):
        workbooks.sheet_names(bytes.fromhex("D0CF11E0A1B11AE1") + b"\xff" * 600)


def test_files_within_the_limits_are_read_as_before(tmp_path):
    rows = [["Time", "Temperature"], *([i, 20.0 + i] for i in range(100))]
    assert workbooks.read_sheet(write_xlsx(tmp_path / "a.xlsx", rows).read_bytes(), "Log")
    assert workbooks.read_sheet(write_ods(tmp_path / "a.ods", rows).read_bytes(), "Log")
    assert workbooks.read_sheet(write_xls(tmp_path / "a.xls", rows).read_bytes(), "Log")
    big = [["Time", "T"], *([i, 20.5] for i in range(60_000))]  # its stream in full sectors
    assert workbooks.read_sheet(write_xls(tmp_path / "b.xls", big).read_bytes(), "Log")
    assert phyphox.read_workbook(write_phyphox_xls(tmp_path / "p.xls").read_bytes()).tables
    recording = phyphox.read_zip(write_phyphox_zip(tmp_path / "p.zip").read_bytes())
    assert recording.tables
