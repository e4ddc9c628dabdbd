import { csvCell, csvLines, toCsv } from './csv';

describe('CSV cells', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvCell('Pak "Ahmad", Lurah')).toBe('"Pak ""Ahmad"", Lurah"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(3)).toBe('"3"');
    expect(csvCell(new Date('2026-12-01T00:00:00Z'))).toBe('"2026-12-01T00:00:00.000Z"');
    expect(csvCell({ tier: 'lurah' })).toBe('"{""tier"":""lurah""}"');
  });

  it('turns what a spreadsheet would run as a formula into text', () => {
    for (const attack of ['=HYPERLINK("http://x","klik")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '\uFF1D1+1']) {
      expect(csvCell(attack).startsWith(`"'`)).toBe(true);
    }
    expect(csvCell('Sampah menumpuk = bau')).toBe('"Sampah menumpuk = bau"');
    // A negative number as a number stays a number.
    expect(csvCell(-2)).toBe('"-2"');
  });

  it('writes a header, CRLF lines and a BOM', () => {
    expect(toCsv(['a', 'b'], [{ a: 1, b: '=x' }])).toBe('\uFEFF"a","b"\r\n"1","\'=x"\r\n');
  });

  it('streams the same document line by line, pulling one row at a time', async () => {
    let pulled = 0;
    async function* rows() {
      for (const row of [{ a: 1, b: '=x' }, { a: 2, b: 'y' }]) {
        pulled++;
        yield row;
      }
    }
    const lines = csvLines(['a', 'b'], rows());
    expect((await lines.next()).value).toBe('\uFEFF"a","b"\r\n');
    expect(pulled).toBe(0);
    expect((await lines.next()).value).toBe('"1","\'=x"\r\n');
    expect(pulled).toBe(1);
    const rest: string[] = [];
    for await (const line of lines) rest.push(line);
    expect(rest).toEqual(['"2","y"\r\n']);
    expect(toCsv(['a', 'b'], [{ a: 1, b: '=x' }, { a: 2, b: 'y' }])).toBe(`\uFEFF"a","b"\r\n"1","'=x"\r\n${rest[0]}`);
  });
});
