"""Memory of packed files through Upload's readers (issue 35): each case runs in a fresh
process that first holds the file's bytes (as Streamlit's upload store does), then reads it
as the Upload page would; the growth is the process's peak resident memory over what it had
with the bytes in hand. The bombs are refused by ``dashboard/upload/archive_limits.py``;
the files that fit are read (a phyphox zip of 200 MB of tables, the most it may unpack to,
and a workbook near the cell limit).

Goal: every case under +400 MB. Prints one JSON object.
Run: python -m bench.archive_memory_bench
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    "phyphox_zip_bomb_64mb",
    "phyphox_zip_lying_sizes",
    "xlsx_4m_tiny_rows",
    "xlsx_one_far_cell",
    "ods_repeated_rows",
    "phyphox_zip_200mb_fits",
    "xlsx_1_8m_cells_fits",
]


def _phyphox_200mb() -> bytes:
    """A phyphox export of 200 MB of accelerometer rows: the most a zip may unpack to."""
    import numpy as np

    from tests.archive_bombs import TIME_CSV

    out = io.BytesIO()
    rng = np.random.default_rng(1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta/time.csv", TIME_CSV)
        with archive.open("Accelerometer.csv", "w", force_zip64=True) as member:
            member.write(b'"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)",')
            member.write(b'"Acceleration z (m/s^2)"\n')
            written, t = 0, 0.0
            while written < 199_000_000:
                block = rng.normal(0, 3, (50_000, 3))
                times = t + np.arange(50_000) / 500
                t = times[-1] + 1 / 500
                text = "\n".join(
                    f"{a:.9E},{x:.9E},{y:.9E},{z:.9E}" for a, (x, y, z) in zip(times, block)
                ).encode()
                member.write(text + b"\n")
                written += len(text) + 1
    return out.getvalue()


def _workbook_fits() -> bytes:
    """A sheet of 600,000 rows of three cells (1.8 million, under the 2 million limit)."""
    from tests.archive_bombs import xlsx_of_sheet

    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>time</t></is></c><c r="B1" '
        b't="inlineStr"><is><t>t</t></is></c><c r="C1" t="inlineStr"><is><t>h</t></is></c></row>'
    )
    rows = (
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%.3f</v></c>'
        b'<c r="C%d"><v>%.2f</v></c></row>'
        % (r, r, 1_700_000_000 + r, r, 20 + (r % 997) / 100, r, 40 + (r % 89) / 10)
        for r in range(2, 600_001)
    )
    return xlsx_of_sheet([header, *rows], level=1)


def _make(case: str) -> tuple[bytes, str]:
    from tests import archive_bombs as bombs

    return {
        "phyphox_zip_bomb_64mb": lambda: (bombs.phyphox_zip_bomb(64), "zip"),
        "phyphox_zip_lying_sizes": lambda: (bombs.lying_zip(), "zip"),
        "xlsx_4m_tiny_rows": lambda: (bombs.xlsx_of_rows(4_000_000), "sheet"),
        "xlsx_one_far_cell": lambda: (bombs.sparse_xlsx(), "sheet"),
        "ods_repeated_rows": lambda: (bombs.ods_of_repeats(), "sheet"),
        "phyphox_zip_200mb_fits": lambda: (_phyphox_200mb(), "zip"),
        "xlsx_1_8m_cells_fits": lambda: (_workbook_fits(), "sheet"),
    }[case]()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_file(case: str, path: Path) -> None:
    """In its own process: the case's file on disk (making it costs memory of its own)."""
    data, _kind = _make(case)
    path.write_bytes(data)


def one_case(case: str, path: Path) -> dict:
    """In a fresh process: hold the file's bytes, read it as Upload does; what it cost."""
    sys.path.insert(0, str(ROOT))
    from dashboard.upload import phyphox, workbooks
    from dashboard.upload.archive_limits import ArchiveRefused

    kind = "zip" if case.startswith("phyphox") else "sheet"
    data = path.read_bytes()
    held = _rss_mb()
    started = time.perf_counter()
    outcome = "read"
    try:
        if kind == "zip":
            recording = phyphox.read_zip(data)
            outcome = f"read: {sum(len(t) for t in recording.tables.values()):,} rows"
        else:
            names = workbooks.sheet_names(data)
            sheet = workbooks.read_sheet(data, names[0])
            text = workbooks.sheet_csv(sheet)
            outcome = f"read: {sheet.data_rows:,} rows, {len(text) / 1e6:.0f} MB as CSV"
    except (ArchiveRefused, workbooks.WorkbookError, phyphox.PhyphoxError) as error:
        outcome = "refused: " + str(error)[:140]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": case,
        "file_mb": round(len(data) / 1e6, 2),
        "outcome": outcome,
        "seconds": round(seconds, 2),
        "held_mb": round(held),
        "peak_over_held_mb": round(peak - held),
        "peak_mb": round(peak),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] in ("--make", "--case"):
        if sys.argv[1] == "--make":
            make_file(sys.argv[2], Path(sys.argv[3]))
        else:
            print(json.dumps(one_case(sys.argv[2], Path(sys.argv[3]))))
        return
    results = []
    folder = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    for case in CASES:
        path = folder / case
        run = [sys.executable, "-m", "bench.archive_memory_bench"]
        subprocess.run([*run, "--make", case, str(path)], cwd=ROOT, check=True, timeout=900)
        done = subprocess.run(
            [*run, "--case", case, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        path.unlink()
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        results.append(
            json.loads(line)
            if line.startswith("{")
            else {"case": case, "error": done.stderr[-500:]}
        )
    worst = max((r.get("peak_over_held_mb", 0) for r in results), default=0)
    print(
        json.dumps({"goal_mb": 400, "worst_peak_over_held_mb": worst, "cases": results}, indent=2)
    )


if __name__ == "__main__":
    main()
