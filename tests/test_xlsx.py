"""The hand-written streaming XLSX writer, read back with openpyxl."""

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core.xlsx import XlsxSheetWriter, column_letter


def _write(rows, headers=("A", "B", "C"), widths=(10, 20, 30)):
    buf = io.BytesIO()
    with XlsxSheetWriter(buf, "Tickets", list(headers), list(widths)) as w:
        for row in rows:
            w.row(row)
    buf.seek(0)
    return openpyxl.load_workbook(buf)


def test_types_styles_and_layout_round_trip():
    when = dt.datetime(2026, 11, 23, 14, 5, 30)
    book = _write([(1, 'x & <y> "z"', when), (2.5, None, None), (3, "", dt.datetime(1999, 1, 1))])
    sheet = book["Tickets"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("A", "B", "C"),
        (1, 'x & <y> "z"', when),
        (2.5, None, None),
        (3, None, dt.datetime(1999, 1, 1)),
    ]
    assert sheet["A1"].font.b is True and sheet["A2"].font.b is not True
    assert sheet["C2"].number_format == "yyyy\\-mm\\-dd\\ hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert [sheet.column_dimensions[c].width for c in "ABC"] == [10, 20, 30]


def test_control_characters_are_dropped_not_fatal():
    sheet = _write([(1, "bell\x07 and tab\t", None)]).active
    assert sheet["B2"].value == "bell and tab\t"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40), max_size=5
    )
)
def test_any_printable_text_round_trips(texts):
    rows = [(i, t, None) for i, t in enumerate(texts)]
    sheet = _write(rows).active
    got = list(sheet.iter_rows(min_row=2, values_only=True))
    # Excel has no way to tell an empty string from an empty cell.
    assert got == [(i, t or None, None) for i, t, _ in rows]


def test_dates_are_typed_cells_and_a_zoned_time_is_refused():
    sheet = _write([(1, "due", dt.date(2026, 12, 5))]).active
    cell = sheet["C2"]
    # openpyxl reads every date cell back as a datetime at midnight.
    assert cell.value == dt.datetime(2026, 12, 5) and cell.is_date
    assert cell.number_format == "yyyy\\-mm\\-dd"
    aware = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    with pytest.raises(TypeError, match="wall-clock"):
        _write([(1, "x", aware)])
