# ruff: noqa: E501  (the OOXML boilerplate below is clearer unwrapped)
"""A streaming writer for one-sheet XLSX workbooks of plain rows.

Written by hand because XlsxWriter, even in constant_memory mode, spends ~90 µs a cell in
Python: a 100,000-ticket export took 10–12 s against a 10 s target (bench/README.md). This
writer emits the sheet XML straight into the zip as rows arrive, about ten times faster, in
constant memory. It supports exactly what the exports need: text, numbers, datetimes (naive
wall-clock times: the caller converts them to the workspace's zone), dates, empty cells, a
bold header row, column widths, a frozen header and an autofilter."""

import datetime as dt
import re
import zipfile
from xml.sax.saxutils import escape

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# XML 1.0 forbids these; Excel would refuse the file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
# Style 0: default; 1: date-time; 2: bold (the header); 3: date.
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


class XlsxSheetWriter:
    """Usage: with XlsxSheetWriter(fileobj, "Tickets", headers, widths) as w: w.row([...])"""

    def __init__(self, fileobj, sheet_name: str, headers: list[str], widths: list[float]):
        self._zip = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._name = sheet_name
        self._cols = [column_letter(i) for i in range(len(headers))]
        self._rows = 0
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths)
        )
        self._write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f"<cols>{cols}</cols><sheetData>"
        )
        self._row(headers, style=' s="2"')

    def _write(self, text: str) -> None:
        self._sheet.write(text.encode())

    def _row(self, values, style="") -> None:
        self._rows += 1
        r = self._rows
        cells = []
        for col, value in zip(self._cols, values, strict=True):
            if value is None or value == "":
                continue
            ref = f"{col}{r}"
            if isinstance(value, str):
                # Excel trims edge whitespace unless told to keep it.
                keep = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                cells.append(
                    f'<c r="{ref}" t="inlineStr"{style}><is><t{keep}>{_text(value)}</t></is></c>'
                )
            elif isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    # Dropping the zone would write UTC clocks where the workspace's belong.
                    raise TypeError("a cell takes a wall-clock time: convert to the zone first")
                delta = value - _EXCEL_EPOCH
                serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
                cells.append(f'<c r="{ref}" s="1"><v>{serial!r}</v></c>')
            elif isinstance(value, dt.date):
                serial = (value - _EXCEL_EPOCH.date()).days
                cells.append(f'<c r="{ref}" s="3"><v>{serial}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
        self._write(f'<row r="{r}">{"".join(cells)}</row>')

    def row(self, values) -> None:
        self._row(values)

    def close(self) -> None:
        last = f"{self._cols[-1]}{self._rows}"
        self._write(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>')
        self._sheet.close()
        name = escape(self._name, {'"': "&quot;"})
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"'{name}'!$A$1:${self._cols[-1]}${self._rows}</definedName></definedNames>"
            "</workbook>",
        )
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
