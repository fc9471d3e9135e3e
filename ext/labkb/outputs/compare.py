"""The CSV and JSON downloads of a comparison table, written at build time from the same
:class:`~labkb.core.compare.Table` the page shows (so the three never disagree)."""

from __future__ import annotations

import csv
import io
import json

from labkb.core.compare import Table, table_data, table_rows


def csv_text(table: Table) -> str:
    """The table's text cells, header first; an empty cell reads "not reported"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(table_rows(table))
    return buffer.getvalue()


def json_text(table: Table) -> str:
    """Columns, rows (each cell's values with source, status, date and best mark) and claims."""
    return json.dumps(table_data(table), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
