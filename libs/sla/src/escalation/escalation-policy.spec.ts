import { LadderUnit, nextRung } from './escalation-policy';

const ladder = (list: LadderUnit[]) => new Map(list.map((u) => [u.id, u]));
const units = ladder([
  { id: 'kel', type: 'kelurahan', parentId: 'kec', active: true },
  { id: 'kec', type: 'kecamatan', parentId: 'setda', active: true },
  { id: 'pupr', type: 'opd', parentId: 'setda', active: true },
  { id: 'setda', type: 'opd', parentId: null, active: true },
]);

describe('nextRung', () => {
  it('climbs lurah → camat → Sekda, and OPD → Sekda', () => {
    expect(nextRung(units, 'kel', [])?.id).toBe('kec');
    expect(nextRung(units, 'kec', [])?.id).toBe('setda');
    expect(nextRung(units, 'pupr', [])?.id).toBe('setda');
  });

  it('stops at the top of the ladder', () => {
    expect(nextRung(units, 'setda', [])).toBeNull();
    expect(nextRung(units, 'unknown', [])).toBeNull();
  });

  it('skips accused and inactive units', () => {
    expect(nextRung(units, 'kel', ['kec'])?.id).toBe('setda');
    const inactive = ladder([...units.values()].map((u) => (u.id === 'kec' ? { ...u, active: false } : u)));
    expect(nextRung(inactive, 'kel', [])?.id).toBe('setda');
    expect(nextRung(units, 'kel', ['kec', 'setda'])).toBeNull();
  });

  it('survives a ladder an admin wired into a loop', () => {
    const loop = ladder([
      { id: 'a', type: 'kecamatan', parentId: 'b', active: false },
      { id: 'b', type: 'kecamatan', parentId: 'a', active: false },
    ]);
    expect(nextRung(loop, 'a', [])).toBeNull();
  });
});
