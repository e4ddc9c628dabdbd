/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection), at a cell's start. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One CSV cell (RFC 4180): always quoted, quotes doubled; a value a spreadsheet would run as a
 * formula gets a leading apostrophe, so it shows as text. Numbers and booleans are written as they are.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  if (typeof value === 'number' || typeof value === 'boolean') return `"${String(value)}"`;
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A CSV document: a header of `columns`, then one line per row (CRLF, as RFC 4180 says), UTF-8 with a BOM for spreadsheets. */
export function toCsv(columns: readonly string[], rows: readonly object[]): string {
  const lines = [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The same document as toCsv, line by line as the rows come: a large export is never held whole. */
export async function* csvLines(columns: readonly string[], rows: AsyncIterable<object> | Iterable<object>): AsyncGenerator<string> {
  yield `\uFEFF${columns.map(csvCell).join(',')}\r\n`;
  for await (const row of rows) yield `${columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(',')}\r\n`;
}
