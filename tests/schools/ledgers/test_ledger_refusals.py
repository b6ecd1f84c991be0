import codecs
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from schools.ledgers import reading
from schools.ledgers.parser import parse_ledger

HEADER = "序号,排查日期,排查部位,隐患类别,隐患描述"
ROW = "{n},2026-03-05,食堂,饮食卫生,留样不全"
TEXT = f"{HEADER}\n{ROW.format(n=1)}\n"


def xlsx(path: Path, rows: int = 1, far_cell: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    for line in [HEADER, *(ROW.format(n=n) for n in range(1, rows + 1))]:
        workbook.active.append(line.split(","))
    if far_cell:
        workbook.active[far_cell] = "x"
    workbook.save(path)
    return path


def csv_file(path: Path, rows: int, tail: bytes = b"") -> Path:
    with path.open("wb") as stream:
        stream.write(f"{HEADER}\n".encode())
        stream.write("".join(ROW.format(n=n) + "\n" for n in range(1, rows + 1)).encode())
        stream.write(tail)
    return path


def text_renamed(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_text(TEXT, encoding="utf-8")
    return path


def zip_without_workbook(tmp_path):
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def png_renamed(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


def ole2(tmp_path, name: str, stream: str):
    path = tmp_path / name
    path.write_bytes(reading.OLE2_MAGIC + bytes(504) + stream.encode("utf-16-le") + bytes(1000))
    return path


def truncated_xlsx(tmp_path):
    path = xlsx(tmp_path / "台账.xlsx")
    path.write_bytes(path.read_bytes()[:-200])
    return path


def damaged_part(tmp_path):
    path = xlsx(tmp_path / "台账.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 20 : start + 40] = bytes(20)
    path.write_bytes(bytes(data))
    return path


def with_part(tmp_path, name: str, data: bytes, count: int = 1):
    path = xlsx(tmp_path / "台账.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            archive.writestr(name.format(index=index), data)
    return path


def patch_declared_size(path: Path, name: str, size: int) -> Path:
    """Rewrite the uncompressed size an archive declares for one part, in both of its headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
    return path


def compressed_zeros(tmp_path):
    return with_part(tmp_path, "xl/media/image1.bin", bytes(20 * 1024 * 1024))


def many_parts(tmp_path):
    return with_part(tmp_path, "xl/media/image{index}.png", b"x", count=reading.MAX_ZIP_ENTRIES)


def declares_huge(tmp_path):
    path = with_part(tmp_path, "xl/media/image1.bin", b"x" * 100)
    return patch_declared_size(path, "xl/media/image1.bin", reading.MAX_UNCOMPRESSED_BYTES + 1)


def understates_size(tmp_path):
    path = with_part(tmp_path, "xl/media/image1.bin", bytes(900 * 1024))
    return patch_declared_size(path, "xl/media/image1.bin", 1000)


def encoded_csv(tmp_path, data: bytes):
    path = tmp_path / "台账.csv"
    path.write_bytes(data)
    return path


HOSTILE = {
    "renamed-text": (text_renamed, reading.NOT_A_TABLE),
    "zip-not-excel": (zip_without_workbook, reading.NOT_A_TABLE),
    "png-as-csv": (png_renamed, reading.NOT_A_TABLE),
    "ole2-as-xlsx": (lambda tmp: ole2(tmp, "台账.xlsx", "Root Entry"), reading.ENCRYPTED),
    "encrypted-package": (lambda tmp: ole2(tmp, "台账.bin", "EncryptedPackage"), reading.ENCRYPTED),
    "legacy-xls": (lambda tmp: ole2(tmp, "台账.xls", "Workbook"), reading.LEGACY_XLS),
    "legacy-xls-as-xlsx": (lambda tmp: ole2(tmp, "台账.xlsx", "Workbook"), reading.LEGACY_XLS),
    "word-doc": (lambda tmp: ole2(tmp, "台账.doc", "WordDocument"), reading.NOT_A_TABLE),
    "truncated-zip": (truncated_xlsx, reading.CORRUPT),
    "damaged-part": (damaged_part, reading.CORRUPT),
    "bomb-ratio": (compressed_zeros, reading.ZIP_BOMB),
    "bomb-entries": (many_parts, reading.ZIP_BOMB),
    "bomb-declared-size": (declares_huge, reading.ZIP_BOMB),
    "bomb-understated-size": (understates_size, reading.CORRUPT),
    "cell-at-last-row": (lambda tmp: xlsx(tmp / "台账.xlsx", far_cell="A1048576"), "数据超过20000行的上限"),
    "cell-past-row-limit": (lambda tmp: xlsx(tmp / "台账.xlsx", far_cell="A20502"), "数据超过20000行的上限"),
    "cell-at-last-column": (lambda tmp: xlsx(tmp / "台账.xlsx", far_cell="XFD1"), "表格超过78列"),
    "cell-past-column-limit": (lambda tmp: xlsx(tmp / "台账.xlsx", far_cell="CA2"), "表格超过78列"),
    "empty": (lambda tmp: encoded_csv(tmp, b""), "文件是空的"),
    "utf16-bom": (
        lambda tmp: encoded_csv(tmp, codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
        reading.UTF16,
    ),
    "utf16-no-bom": (lambda tmp: encoded_csv(tmp, TEXT.encode("utf-16-be")), reading.UTF16),
    "nul-bytes": (lambda tmp: encoded_csv(tmp, TEXT.encode() + b"\x00\x00"), reading.NUL_BYTES),
    "nul-after-sample": (lambda tmp: csv_file(tmp / "台账.csv", 5000, tail=b"9,\x00\n"), reading.NUL_BYTES),
    "unknown-encoding": (lambda tmp: encoded_csv(tmp, b"\x80\xff" * 10), reading.UNKNOWN_ENCODING),
    "encoding-changes": (
        lambda tmp: csv_file(tmp / "台账.csv", 5000, tail="一,二".encode("gb18030")),
        "文字编码与文件开头不同",
    ),
    "no-header": (lambda tmp: encoded_csv(tmp, "填表说明\n按月填写\n".encode()), "未找到表头"),
    "header-lacks-location": (
        lambda tmp: encoded_csv(tmp, "序号,日期,隐患描述\n1,2026-03-05,x\n".encode()),
        "缺少必填列: 排查部位",
    ),
    "csv-over-row-limit": (lambda tmp: csv_file(tmp / "台账.csv", 25_000), "数据超过20000行的上限"),
}


@pytest.mark.parametrize(("build", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_refused_with_a_clear_message(tmp_path, build, message):
    parsed = parse_ledger(build(tmp_path))
    assert parsed.refused
    assert parsed.rows == []
    assert [(error.row, error.sheet, error.column) for error in parsed.errors] == [(None, None, None)]
    assert message in parsed.errors[0].message


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    parsed = parse_ledger(csv_file(tmp_path / "台账.csv", 100), max_bytes=1000)
    assert parsed.refused
    assert parsed.errors[0].message == "文件大小超过1000字节的上限"


@pytest.mark.parametrize(("rows", "refused"), [(10, False), (11, True), (400, True), (600, True)])
def test_the_row_limit_counts_data_rows_of_an_xlsx(tmp_path, rows, refused):
    # Up to 510 rows are loaded and counted; a cell below that is found in the XML before loading.
    assert parse_ledger(xlsx(tmp_path / "台账.xlsx", rows), max_rows=10).refused is refused


def test_a_million_row_csv_is_refused_at_the_limit_without_reading_it_all(tmp_path):
    # A NUL at the very end would be reported if the parser read that far.
    path = csv_file(tmp_path / "台账.csv", 1_000_000, tail=b"\x00")
    started = time.perf_counter()
    parsed = parse_ledger(path, max_bytes=100 * 1024 * 1024)
    elapsed = time.perf_counter() - started
    assert parsed.errors[0].message == "数据超过20000行的上限"
    assert elapsed < 2, elapsed


def test_the_refusal_is_the_dry_run_object(tmp_path):
    parsed = parse_ledger(text_renamed(tmp_path), filename="三月台账.xlsx")
    assert parsed.to_json() == {
        "file": "三月台账.xlsx",
        "sheets": [],
        "rows": [],
        "errors": [{"row": None, "sheet": None, "column": None, "message": reading.NOT_A_TABLE}],
        "ignored_columns": [],
    }


def test_the_upload_name_decides_csv_not_the_stored_path(tmp_path):
    path = csv_file(tmp_path / "upload.bin", 3)
    assert not parse_ledger(path, filename="台账.csv").refused
    assert parse_ledger(path).refused
