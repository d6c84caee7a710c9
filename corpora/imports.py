"""Reading an imported text file (CSV, JSONL, one text per line) into texts and problems.

No ORM here: bytes go in, cleaned texts and their problems come out; ``corpora.services.imports``
stores them. Each text goes through ``annotation.services.text_clean``, the single form's rules.

Decisions:

- Encodings: UTF-8 with or without a byte-order mark, and UTF-16 when its BOM says so. Anything
  else is refused as a whole, naming the first byte that is not UTF-8 and its line. Guessing a
  legacy encoding (cp1252, latin-1) never fails, so a wrong guess would silently store « Ã© » for
  « é » in every row; a clear refusal costs the person one "save as UTF-8".
- A NUL character means binary content (a spreadsheet, a PDF, an archive renamed .csv): refused.
- Blank lines (and CSV rows whose cells are all blank) are skipped, not counted. Duplicates are
  kept: a corpus may hold the same sentence twice.
- CSV: a header row is required; the text column is ``text`` or ``texte`` (any case). The
  delimiter (comma, semicolon or tab) is the one that makes the header hold a text column in the
  most columns. Other columns (``id``...) are not stored: there is no field for them, and the
  problems name the line instead. Line numbers are those of the row's first line.
- CSV rows with more cells than the header: people write commas in their texts without quotes.
  With a lone text column the file is one text per line, so the cells are joined back as they
  were written; with several columns there is no knowing which cells belong to the text, so the
  row is a problem. Either way no text is silently cut. Trailing empty cells (a spreadsheet's
  padding) are ignored.
- Rows past PARLURE_IMPORT_MAX_ROWS are not read: one problem says so, the first rows are kept.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotation.services import text_clean

from .models import ImportBatch

EXTENSIONS = {
    ".csv": ImportBatch.Format.CSV,
    ".tsv": ImportBatch.Format.CSV,
    ".jsonl": ImportBatch.Format.JSONL,
    ".ndjson": ImportBatch.Format.JSONL,
    ".txt": ImportBatch.Format.TXT,
    ".zip": ImportBatch.Format.ZIP,
}
CSV_TEXT_COLUMNS = ("text", "texte")
CSV_DELIMITERS = (",", ";", "\t")


class Problem(TypedDict):
    """One rejected line or archive member, as stored in ``ImportBatch.problems``."""

    line: int | None
    member: str
    code: str
    message: str


@dataclass
class ProblemLog:
    """Problems in the order found; only the first PARLURE_IMPORT_MAX_PROBLEMS are kept."""

    kept: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, *, code: str, message: str, line: int | None = None, member: str = "") -> None:
        if len(self.kept) < settings.PARLURE_IMPORT_MAX_PROBLEMS:
            self.kept.append({"line": line, "member": member, "code": code, "message": message})
        else:
            self.dropped += 1

    def entries(self) -> list[Problem]:
        if not self.dropped:
            return list(self.kept)
        more = ngettext(
            "… and %(count)s more problem.", "… and %(count)s more problems.", self.dropped
        ) % {"count": self.dropped}
        return [*self.kept, {"line": None, "member": "", "code": "more_problems", "message": more}]


@dataclass(frozen=True)
class TextRow:
    line: int
    text: str


@dataclass
class TextImport:
    rows: list[TextRow]
    problems: ProblemLog
    items_read: int

    @property
    def items_rejected(self) -> int:
        return self.items_read - len(self.rows)


# (line, text) or (line, what is wrong with that line)
Item = tuple[int, "str | ValidationError"]


def import_format(file_name: str) -> str:
    """The ImportBatch.Format a file's extension names; ValidationError if none."""
    file_format = EXTENSIONS.get(PurePath(file_name).suffix.lower())
    if file_format is None:
        raise ValidationError(
            _("Parlure imports .csv, .jsonl (or .ndjson), .txt and .zip files; not this one."),
            code="unknown_format",
        )
    return file_format


def text_decode(data: bytes) -> str:
    """The file's text: UTF-8 (BOM or not) or UTF-16 with a BOM; ValidationError otherwise."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-16":
            raise ValidationError(
                _("The file says it is UTF-16 text but is damaged; save it as UTF-8."),
                code="encoding",
            ) from None
        raise ValidationError(
            _(
                "The file is not UTF-8 text: byte 0x%(byte)s on line %(line)s cannot be read. "
                "Save it as UTF-8 (in a spreadsheet: CSV UTF-8) and import it again."
            ),
            code="encoding",
            params={
                "byte": f"{data[error.start]:02X}",
                "line": data.count(b"\n", 0, error.start) + 1,
            },
        ) from None
    if "\x00" in text:
        raise ValidationError(
            _("The file holds binary data, not text: is it really the file you meant?"),
            code="binary",
        )
    if not text.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    return text


def text_import_read(*, data: bytes, file_format: str) -> TextImport:
    """Read a text file's items; file-level faults raise ValidationError, line faults are kept.

    The caller has checked the size (PARLURE_IMPORT_MAX_BYTES).
    """
    readers: dict[str, Callable[[str], Iterator[Item]]] = {
        ImportBatch.Format.CSV: _csv_items,
        ImportBatch.Format.JSONL: _jsonl_items,
        ImportBatch.Format.TXT: _txt_items,
    }
    items = readers[file_format](text_decode(data))
    result = TextImport(rows=[], problems=ProblemLog(), items_read=0)
    limit = settings.PARLURE_IMPORT_MAX_ROWS
    for line, value in items:
        if result.items_read >= limit:
            result.problems.add(
                line=line,
                code="too_many_rows",
                message=_(
                    "Only the first %(limit)s rows are imported: the rest of the file, from "
                    "this line on, was not read."
                )
                % {"limit": limit},
            )
            break
        result.items_read += 1
        try:
            if isinstance(value, ValidationError):
                raise value
            result.rows.append(TextRow(line=line, text=text_clean(value)))
        except ValidationError as error:
            result.problems.add(line=line, code=error.code or "invalid", message=error.messages[0])
    return result


def _lines(text: str) -> Iterator[tuple[int, str]]:
    # Not str.splitlines(): it also splits on U+2028 and friends, which JSON strings may hold.
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.strip():
            yield number, line


def _txt_items(text: str) -> Iterator[Item]:
    yield from _lines(text)


def _jsonl_items(text: str) -> Iterator[Item]:
    for line, raw in _lines(text):
        try:
            value = json.loads(raw)
        except ValueError:
            yield line, ValidationError(_("This line is not valid JSON."), code="not_json")
            continue
        if not isinstance(value, dict):
            yield (
                line,
                ValidationError(
                    _('This line is not a JSON object such as {"text": "…"}.'), code="not_object"
                ),
            )
        elif not isinstance(value.get("text"), str):
            yield line, ValidationError(_('This line has no "text" string.'), code="no_text")
        else:
            yield line, value["text"]


@dataclass(frozen=True)
class _CsvHeader:
    delimiter: str
    column: int  # index of the text column
    width: int  # number of columns
    lines: int  # physical lines the header took


def _csv_header(text: str) -> _CsvHeader:
    best: tuple[int, str, int, int] | None = None
    for delimiter in CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            header = next((row for row in reader if any(cell.strip() for cell in row)), [])
        except csv.Error:
            continue
        names = [cell.strip().lower() for cell in header]
        column = next((names.index(name) for name in CSV_TEXT_COLUMNS if name in names), None)
        if column is not None and (best is None or len(names) > best[0]):
            best = (len(names), delimiter, column, reader.line_num)
    if best is None:
        raise ValidationError(
            _(
                "The first row of a CSV file must name its columns, one of them « text »; "
                "none does here."
            ),
            code="no_text_column",
        )
    return _CsvHeader(delimiter=best[1], column=best[2], width=best[0], lines=best[3])


def _csv_items(text: str) -> Iterator[Item]:
    # The header is read now, so that a file without a text column is refused before any row.
    return _csv_rows(text, _csv_header(text))


def _csv_rows(text: str, header: _CsvHeader) -> Iterator[Item]:
    delimiter, column = header.delimiter, header.column
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0  # the last physical line read so far
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            end = reader.line_num
            yield (
                start,
                ValidationError(_("This row is not valid CSV: check its quotes."), code="bad_csv"),
            )
            continue
        end = reader.line_num
        if end <= header.lines or not any(cell.strip() for cell in row):
            continue
        if column >= len(row):
            yield (
                start,
                ValidationError(
                    _("This row has fewer columns than the header: it has no text."),
                    code="missing_column",
                ),
            )
            continue
        if any(cell.strip() for cell in row[header.width :]):
            if header.width == 1:
                yield start, delimiter.join(row)
            else:
                yield (
                    start,
                    ValidationError(
                        _(
                            "This row has more cells than the header: a text with commas (or "
                            "semicolons) must be in double quotes. Nothing of it was imported."
                        ),
                        code="too_many_columns",
                    ),
                )
            continue
        yield start, row[column]
