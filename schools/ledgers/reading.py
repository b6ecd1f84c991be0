"""Open an uploaded ledger file safely and yield its sheets as rows of raw cell values."""

import codecs
import csv
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # small parts (styles, empty sheets) may compress as well as they like
MAX_COLUMNS = 78  # up to column BZ; a ledger has about 15
ROW_SLACK = 500  # title, header, blank, totals and signature lines around the data rows
CSV_SAMPLE_BYTES = 64 * 1024
_CHUNK_BYTES = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
ENCRYPTED_SUFFIXES = frozenset({".xlsx", ".xlsm"})

NOT_A_TABLE = "文件不是Excel或CSV表格"
CORRUPT = "文件已损坏，无法读取"
LEGACY_XLS = "不支持旧版Excel（.xls）文件，请在Excel或WPS中另存为.xlsx后上传"
ENCRYPTED = "文件已加密（设置了打开密码），请取消密码后重新上传"
ZIP_BOMB = "文件解压后过大，疑似压缩炸弹，已拒绝"
UTF16 = "CSV文件是UTF-16编码，请另存为UTF-8或GBK编码的CSV"
NUL_BYTES = "CSV文件含有空字节（NUL），不是文本表格"
UNKNOWN_ENCODING = "无法识别CSV文件的文字编码，请另存为UTF-8或GBK编码"

Row = tuple[int, list]


class LedgerRefused(Exception):
    """The whole file is refused; `message` tells the user why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_many_rows(max_rows: int) -> LedgerRefused:
    """Return the refusal of a file holding more than `max_rows` rows."""
    return LedgerRefused(f"数据超过{max_rows}行的上限")


@dataclass
class RawSheet:
    """One sheet of the file; `rows()` yields (row number as the user sees it, cells) lazily."""

    name: str | None
    rows: Callable[[], Iterator[Row]]


@contextmanager
def open_ledger(
    path: str | os.PathLike,
    *,
    filename: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Iterator[list[RawSheet]]:
    """Open a ledger (.xlsx/.xlsm by content, .csv by name) or raise LedgerRefused."""
    path = Path(path)
    suffix = Path(filename or path.name).suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            magic = stream.read(len(OLE2_MAGIC))
    except OSError:
        raise LedgerRefused("无法读取文件") from None
    if size > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes}字节"
        raise LedgerRefused(f"文件大小超过{limit}的上限")
    if size == 0:
        raise LedgerRefused("文件是空的")
    if magic.startswith(ZIP_MAGIC):
        _check_zip(path, max_rows)
        with _open_workbook(path) as sheets:
            yield sheets
    elif magic.startswith(OLE2_MAGIC):
        # Excel saves a password-protected .xlsx as an OLE2 container holding an EncryptedPackage.
        # Legacy .xls is refused: its reader allocates every cell up to the farthest one, so a
        # 6 KB file with one cell at IV65536 takes 1 GB and 3 s.
        content = path.read_bytes()
        if ENCRYPTED_PACKAGE in content:
            raise LedgerRefused(ENCRYPTED)
        if any(stream in content for stream in XLS_STREAMS):
            raise LedgerRefused(LEGACY_XLS)
        raise LedgerRefused(ENCRYPTED if suffix in ENCRYPTED_SUFFIXES else NOT_A_TABLE)
    elif suffix in CSV_SUFFIXES:
        yield _csv_sheets(path)
    else:
        raise LedgerRefused(NOT_A_TABLE)


@lru_cache(maxsize=8)
def _far_cell(max_row: int) -> re.Pattern[bytes]:
    """Match a value cell beyond column BZ or below `max_row` in sheet XML (self-closing cells are empty)."""
    digits = str(max_row + 1)
    beyond = [rf"[1-9]\d{{{len(digits)},}}", digits]
    for place, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - place - 1
            beyond.append(digits[:place] + f"[{int(digit) + 1}-9]" + (rf"\d{{{rest}}}" if rest else ""))
    rows = "|".join(beyond)
    return re.compile(
        rf'<c r="(?:(?P<column>[A-Z]{{3}}|[C-Z][A-Z])\d+|[A-Z]{{1,2}}(?:{rows}))"[^>/]*>'.encode()
    )


def _check_zip(path: Path, max_rows: int) -> None:
    """Refuse zip bombs, damaged archives and oversized sheets before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise LedgerRefused(CORRUPT) from None
    with archive:
        entries = archive.infolist()
        if (
            len(entries) > MAX_ZIP_ENTRIES
            or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES
        ):
            raise LedgerRefused(ZIP_BOMB)
        for entry in entries:
            ratio_limit = MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
            if entry.file_size >= RATIO_CHECKED_FROM and entry.file_size > ratio_limit:
                raise LedgerRefused(ZIP_BOMB)
        if "xl/workbook.xml" not in {entry.filename for entry in entries}:
            raise LedgerRefused(NOT_A_TABLE)
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise LedgerRefused(ENCRYPTED)
        far_cell = _far_cell(max_rows + ROW_SLACK)
        for entry in entries:
            is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
            _verify_entry(archive, entry, far_cell if is_sheet else None, max_rows)


def _verify_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, far_cell: re.Pattern[bytes] | None, max_rows: int
) -> None:
    """Decompress one part as a stream: zipfile stops at its declared size and checks its CRC."""
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                if far_cell is None:
                    continue
                window = tail + chunk
                if match := far_cell.search(window):
                    if match["column"]:
                        raise LedgerRefused(f"表格超过{MAX_COLUMNS}列，不是隐患台账")
                    raise too_many_rows(max_rows)
                tail = window[-64:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        raise LedgerRefused(CORRUPT) from None


@contextmanager
def _open_workbook(path: Path) -> Iterator[list[RawSheet]]:
    try:
        workbook = CalamineWorkbook.from_path(path)
    except PasswordError:
        raise LedgerRefused(ENCRYPTED) from None
    except (CalamineError, ValueError, OSError) as exc:
        logger.info("workbook %s not readable: %s", path, exc)
        raise LedgerRefused(CORRUPT) from None
    with workbook:
        yield [
            RawSheet(meta.name, _sheet_rows(workbook, meta.name))
            for meta in workbook.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> Callable[[], Iterator[Row]]:
    def rows() -> Iterator[Row]:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except (CalamineError, ValueError) as exc:
            logger.info("sheet %s not readable: %s", name, exc)
            raise LedgerRefused(CORRUPT) from None
        # iter_rows starts at the sheet's first row even when the data starts lower.
        return enumerate(sheet.iter_rows(), 1)

    return rows


def _csv_encoding(sample: bytes) -> str:
    if sample.startswith(BINARY_MAGICS):
        raise LedgerRefused(NOT_A_TABLE)
    if b"\x00" in sample or sample.startswith(UTF16_BOMS):
        # UTF-16 puts the NUL half of every ASCII character (digits, commas, line ends) on one side.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        one_sided = min(even, odd) * 10 < max(even, odd)
        raise LedgerRefused(UTF16 if one_sided or sample.startswith(UTF16_BOMS) else NUL_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise LedgerRefused(UNKNOWN_ENCODING)


def _delimiter(sample: bytes, encoding: str) -> str:
    lines = sample.decode(encoding, errors="ignore").splitlines()[:20]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    return "\t" if tabs > commas else ","


def _checked_lines(text: Iterator[str]) -> Iterator[str]:
    for line in text:
        if "\x00" in line:
            raise LedgerRefused(NUL_BYTES)
        yield line


def _csv_sheets(path: Path) -> list[RawSheet]:
    with path.open("rb") as stream:
        sample = stream.read(CSV_SAMPLE_BYTES)
    encoding = _csv_encoding(sample)
    delimiter = _delimiter(sample, encoding)

    def rows() -> Iterator[Row]:
        with path.open(encoding=encoding, newline="") as text:
            reader = csv.reader(_checked_lines(text), delimiter=delimiter)
            previous = 0
            try:
                for cells in reader:
                    # A quoted cell may span lines: a record is numbered by its first line.
                    yield previous + 1, cells
                    previous = reader.line_num
            except UnicodeDecodeError:
                raise LedgerRefused(
                    f"第{previous + 1}行的文字编码与文件开头不同，请将整个文件另存为UTF-8编码"
                ) from None
            except csv.Error as exc:
                raise LedgerRefused(f"第{previous + 1}行不是有效的CSV: {exc}") from None

    return [RawSheet(None, rows)]
