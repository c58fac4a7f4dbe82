"""Hostile packed files, as a stranger would make them: small on the wire, huge once
unpacked. Shared by the probes (tests/upload/test_archive_limits.py) and the memory bench
(bench/archive_memory_bench.py)."""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl
import xlwt

TIME_CSV = b'"event","experiment time","system time","system time text"\n"START",0,1700000000,""\n'
XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
    'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-office'
    'document.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Log" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
    '.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def phyphox_zip_bomb(member_mb: int = 64) -> bytes:
    """A phyphox export whose one table unpacks to ``member_mb`` MB of the same row."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("meta/time.csv", TIME_CSV)
        row = b"0.1,0.2,0.3,0.4\n"
        with archive.open("Accelerometer.csv", "w", force_zip64=True) as member:
            member.write(b'"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)",')
            member.write(b'"Acceleration z (m/s^2)"\n')
            block = row * 65536
            for _ in range(member_mb * 1_000_000 // len(block)):
                member.write(block)
    return out.getvalue()


def lying_zip(declared: int = 1000, actual_mb: int = 20) -> bytes:
    """A phyphox export whose table declares ``declared`` bytes but unpacks to more: the
    sizes in its directory and local header are rewritten after packing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta/time.csv", TIME_CSV)
        archive.writestr("Accelerometer.csv", b"1,2,3,4\n" * (actual_mb * 125_000))
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("Accelerometer.csv")
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)  # the second entry
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


SHEET_START = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData>'
)


def xlsx_of_sheet(pieces, level: int = 9) -> bytes:
    """A one-sheet workbook whose sheet's rows are the byte strings ``pieces`` yields,
    written as XML straight into the zip (a million rows in seconds, not openpyxl's minutes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START)
            for piece in pieces:
                sheet.write(piece)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def xlsx_of_rows(rows: int) -> bytes:
    """A workbook of ``rows`` one-cell rows (no cell references: they are optional)."""
    block = b"<row><c><v>1</v></c></row>" * 10_000
    return xlsx_of_sheet(block for _ in range(rows // 10_000))


def sparse_xlsx(row: int = 200_000, column: int = 2_000) -> bytes:
    """A 5 KB workbook: a header, one row, and one cell far away (row, column)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["time", "value"])
    sheet.append([1, 2])
    sheet.cell(row=row, column=column, value=3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_of_repeats(rows: int = 1_000_000, columns: int = 100) -> bytes:
    """An .ods whose one row of a number is repeated ``rows`` x ``columns`` times."""
    content = (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:'
        'table:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table '
        f'table:name="Log"><table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        f'office:value-type="float" office:value="1" table:number-columns-repeated="{columns}"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


def sparse_xls(row: int = 65_000, column: int = 250) -> bytes:
    """A 5.6 KB .xls: a header, one row, and one cell far away (row, column)."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Log")
    for c, text in enumerate(["time", "value"]):
        sheet.write(0, c, text)
    sheet.write(1, 0, 1)
    sheet.write(1, 1, 2)
    sheet.write(row, column, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
