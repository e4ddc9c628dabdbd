import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WilayahRow {
  code: string;
  parentCode: string;
  name: string;
}

/** Splits one CSV line, honouring double quotes (names may hold commas). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

function dataDir(): string {
  return join(dirname(require.resolve('idn-area-data/package.json')), 'data');
}

/**
 * Rows of an `idn-area-data` CSV (`code,<parent>_code,name`) under the given parents, read from
 * the package's data files (Kepmendagri 300.2.2-2138 Tahun 2025).
 */
export function readWilayah(file: 'districts' | 'villages', parentCodes: ReadonlySet<string>): WilayahRow[] {
  const lines = readFileSync(join(dataDir(), `${file}.csv`), 'utf8').split(/\r?\n/);
  const rows: WilayahRow[] = [];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [code, parentCode, name] = splitCsvLine(line);
    if (parentCodes.has(parentCode)) rows.push({ code, parentCode, name });
  }
  return rows;
}
