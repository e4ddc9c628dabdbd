import { SumCell, suppressCells } from './suppression';

/**
 * An attacker who reads the published cells and knows every published total is the sum of its
 * rows, and that a hidden cell counts at least 1: the values each hidden cell could still have.
 * Exact: for every candidate value of a cell, whether some assignment of the other hidden cells
 * satisfies every sum (subtree sums composed bottom-up as sets).
 */
function candidates(cells: readonly SumCell[], hidden: Set<string>): Map<string, number[]> {
  // A bound for the search only, above anything shown: a hidden grand total is not known either.
  const top = cells.reduce((s, c) => Math.max(s, c.value), 0) + 10;
  const kids = new Map<string, SumCell[]>();
  for (const c of cells) if (c.parent) kids.set(c.parent, [...(kids.get(c.parent) ?? []), c]);
  const root = cells.find((c) => c.parent === null)!;
  const possible = (cell: SumCell, fixed: Map<string, number>): Set<number> => {
    let sums = new Set([0]);
    const list = kids.get(cell.id);
    if (list) {
      for (const child of list) {
        const options = possible(child, fixed);
        const next = new Set<number>();
        for (const a of sums) for (const b of options) if (a + b <= top) next.add(a + b);
        sums = next;
      }
    }
    const own = fixed.has(cell.id) ? [fixed.get(cell.id)!] : hidden.has(cell.id) ? range(1, top) : [cell.value];
    return new Set(own.filter((v) => !list || sums.has(v)));
  };
  const out = new Map<string, number[]>();
  for (const id of hidden) out.set(id, range(1, top).filter((v) => possible(root, new Map([[id, v]])).size > 0));
  return out;
}

/** Hidden cells a pure subtraction recovers: Gaussian elimination over the sums' linear system. */
function recoveredBySubtraction(cells: readonly SumCell[], hidden: Set<string>): string[] {
  const unknown = [...hidden];
  const col = new Map(unknown.map((id, i) => [id, i]));
  const rows: number[][] = [];
  for (const parent of cells) {
    const list = cells.filter((c) => c.parent === parent.id);
    if (list.length === 0) continue;
    // parent - sum(children) = 0, with the shown cells moved to the right-hand side.
    const row = new Array<number>(unknown.length + 1).fill(0);
    for (const [cell, sign] of [[parent, 1] as const, ...list.map((c) => [c, -1] as const)]) {
      if (hidden.has(cell.id)) row[col.get(cell.id)!] += sign;
      else row[unknown.length] -= sign * cell.value;
    }
    rows.push(row);
  }
  let r = 0;
  const pivots: number[] = [];
  for (let c = 0; c < unknown.length && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && Math.abs(row[c]) > 1e-9);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const pivot = rows[r][c];
    rows[r] = rows[r].map((v) => v / pivot);
    for (let i = 0; i < rows.length; i++) if (i !== r && Math.abs(rows[i][c]) > 1e-9) rows[i] = rows[i].map((v, j) => v - rows[i][c] * rows[r][j]);
    pivots.push(c);
    r++;
  }
  // A row with a single unknown left pins that unknown.
  return rows.slice(0, r).filter((row) => row.slice(0, unknown.length).filter((v) => Math.abs(v) > 1e-9).length === 1).map((row) => unknown[row.findIndex((v) => Math.abs(v) > 1e-9)]);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A tenant: total → unit types → units, with the given unit counts per type. */
function table(groups: number[][]): SumCell[] {
  const cells: SumCell[] = [];
  let total = 0;
  groups.forEach((units, g) => {
    const sum = units.reduce((s, v) => s + v, 0);
    total += sum;
    cells.push({ id: `g${g}`, value: sum, parent: 'total' });
    units.forEach((v, u) => cells.push({ id: `g${g}u${u}`, value: v, parent: `g${g}` }));
  });
  return [{ id: 'total', value: total, parent: null }, ...cells];
}

function expectSafe(cells: SumCell[], hidden: Set<string>) {
  expect(recoveredBySubtraction(cells, hidden)).toEqual([]);
  for (const [id, values] of candidates(cells, hidden)) {
    if (values.length < 2) throw new Error(`${id} is recoverable as ${values.join()} from ${JSON.stringify(cells)} hiding ${[...hidden].join()}`);
  }
}

describe('suppressCells', () => {
  it('hides counts under the threshold and shows zeros and counts at or above it', () => {
    const cells = table([[0, 5, 9, 12]]);
    expect(suppressCells(cells)).toEqual(new Set());
    const hidden = suppressCells(table([[0, 3, 9, 12]]));
    expect(hidden.has('g0u1')).toBe(true);
    expect(hidden.has('g0u0')).toBe(false);
  });

  it('hides a second cell when one small cell could be recovered by subtraction from the total', () => {
    const cells = table([[3, 9, 12, 40]]);
    const hidden = suppressCells(cells);
    // 3 alone: total 64 − 9 − 12 − 40 = 3. The complement is the smallest cell that adds something.
    expect(hidden).toEqual(new Set(['g0u0', 'g0u1']));
    expect(recoveredBySubtraction(cells, new Set(['g0u0']))).toEqual(['g0u0']);
    expectSafe(cells, hidden);
  });

  it('does not let two ones pin each other: the hidden cells of a sum must have room to move', () => {
    const cells = table([[1, 1, 20, 30]]);
    const hidden = suppressCells(cells);
    // 1 + 1 = 2 with both at least 1 pins both; a third cell widens it.
    expect(hidden).toEqual(new Set(['g0u0', 'g0u1', 'g0u2']));
    expect(candidates(cells, new Set(['g0u0', 'g0u1'])).get('g0u0')).toEqual([1]);
    expect(candidates(cells, hidden).get('g0u0')).toEqual(range(1, 20));
    expectSafe(cells, hidden);
  });

  it('does not let many ones pin each other', () => {
    const cells = table([[1, 1, 1, 1, 1, 30]]);
    expectSafe(cells, suppressCells(cells));
  });

  it('carries the protection up: a hidden type total gets a second one at the tenant level', () => {
    const cells = table([[2, 2], [40, 50], [60]]);
    const hidden = suppressCells(cells);
    expect(hidden.has('g0')).toBe(true);
    expect([...hidden].filter((id) => /^g\d$/.test(id)).length).toBeGreaterThanOrEqual(2);
    expectSafe(cells, hidden);
  });

  it('hides the total of a group whose only counting unit is small', () => {
    const cells = table([[3, 0, 0], [40, 50]]);
    const hidden = suppressCells(cells);
    expect(hidden.has('g0u0')).toBe(true);
    expect(hidden.has('g0u1') || hidden.has('g0u2')).toBe(false);
    expectSafe(cells, hidden);
  });

  it('refuses cells whose totals are not their sums', () => {
    expect(() => suppressCells([{ id: 't', value: 5, parent: null }, { id: 'a', value: 4, parent: 't' }])).toThrow(/add up to 4/);
  });

  it('leaves no hidden cell recoverable in 300 random tenants', () => {
    // A fixed seed: the same tables every run.
    let seed = 23;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const sizes = [0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 14];
    for (let i = 0; i < 300; i++) {
      const groups = range(1, 1 + rand(3)).map(() => range(1, 1 + rand(5)).map(() => sizes[rand(sizes.length)]));
      const cells = table(groups);
      const hidden = suppressCells(cells);
      for (const c of cells) if (c.value > 0 && c.value < 5) expect(hidden.has(c.id)).toBe(true);
      expectSafe(cells, hidden);
    }
  });
});
