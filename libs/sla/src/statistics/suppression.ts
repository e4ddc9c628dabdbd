/**
 * Small-count suppression over a tree of sums (docs/statistics.md, "Small counts"). Invariant: in
 * every sum, either no row is hidden, or the hidden rows are at least two and exceed their least
 * possible values (each hidden cell counts at least 1), or the total is hidden too, so no hidden
 * cell can be recovered by subtraction.
 */
export interface SumCell {
  id: string;
  value: number;
  /** the cell this one is summed into; null for the grand total */
  parent: string | null;
}

export const SUPPRESSION_THRESHOLD = 5;

/**
 * The least each hidden cell can be for someone who knows hidden cells count at least 1: 1 for a
 * row, and for a hidden total its shown rows plus the least of its hidden ones.
 */
function lowerBounds(cells: readonly SumCell[], children: Map<string, SumCell[]>, hidden: Set<string>): Map<string, number> {
  const least = new Map<string, number>();
  const of = (c: SumCell): number => {
    const known = least.get(c.id);
    if (known !== undefined) return known;
    const list = children.get(c.id);
    const value = !hidden.has(c.id) ? c.value : list ? list.reduce((s, k) => s + (hidden.has(k.id) ? of(k) : k.value), 0) : 1;
    least.set(c.id, value);
    return value;
  };
  for (const c of cells) of(c);
  return least;
}

/** The ids of the cells to hide. Pure: the same cells always give the same answer. */
export function suppressCells(cells: readonly SumCell[], threshold = SUPPRESSION_THRESHOLD): Set<string> {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const children = new Map<string, SumCell[]>();
  for (const c of cells) {
    if (c.parent === null) continue;
    if (!byId.has(c.parent)) throw new Error(`cell ${c.id} is summed into ${c.parent}, which is missing`);
    const list = children.get(c.parent) ?? [];
    list.push(c);
    children.set(c.parent, list);
  }
  for (const [parent, list] of children) {
    const sum = list.reduce((s, c) => s + c.value, 0);
    if (sum !== byId.get(parent)!.value) throw new Error(`cell ${parent} is ${byId.get(parent)!.value}, its children add up to ${sum}`);
  }
  const hidden = new Set(cells.filter((c) => c.value > 0 && c.value < threshold).map((c) => c.id));
  const order = (a: SumCell, b: SumCell) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const depth = (id: string): number => (byId.get(id)!.parent === null ? 0 : 1 + depth(byId.get(id)!.parent!));
  // Deepest sums first: a hidden total gets its hidden row before the sum above weighs how far it can move.
  const sums = [...children].sort(([a], [b]) => depth(b) - depth(a));
  for (let changed = true; changed; ) {
    changed = false;
    const least = lowerBounds(cells, children, hidden);
    for (const [parentId, list] of sums) {
      const parentHidden = hidden.has(parentId);
      const hiddenChildren = list.filter((c) => hidden.has(c.id));
      const shownAboveZero = list.filter((c) => !hidden.has(c.id) && c.value > 0).sort(order);
      if (hiddenChildren.length === 0 && !parentHidden) continue;
      const slack = hiddenChildren.reduce((s, c) => s + c.value - least.get(c.id)!, 0);
      // At least two hidden children with room to move; or a hidden total moving with its hidden child, which the sum above protects.
      const enough = (hiddenChildren.length >= 2 && slack >= 1) || (parentHidden && hiddenChildren.length > 0);
      if (enough) continue;
      const next = shownAboveZero[0];
      if (next) hidden.add(next.id);
      else hidden.add(parentId);
      changed = true;
      break;
    }
  }
  return hidden;
}
