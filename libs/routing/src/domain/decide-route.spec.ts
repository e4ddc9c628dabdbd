import { decideRoute, RouteFacts } from './decide-route';

const kel = { id: 'kel', active: true };
const kec = { id: 'kec', active: true };
const insp = { id: 'insp', active: true };
const pupr = { id: 'pupr', active: true };
const base: RouteFacts = { rule: null, kelurahanOffice: kel, kecamatanOffice: kec, inspektorat: insp, aboutOfficial: false, accusedUnitIds: [] };

describe('decideRoute', () => {
  it('sends a complaint to its kelurahan’s lurah by default', () => {
    expect(decideRoute(base)).toEqual({ unitId: 'kel', tier: 'lurah', reason: 'location' });
    expect(decideRoute({ ...base, rule: { tier: 'lurah', unit: null } })).toEqual({ unitId: 'kel', tier: 'lurah', reason: 'location' });
  });

  it('follows a category rule to an OPD, the camat or the Inspektorat', () => {
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: pupr } })).toEqual({ unitId: 'pupr', tier: 'opd', reason: 'rule' });
    expect(decideRoute({ ...base, rule: { tier: 'camat', unit: null } })).toEqual({ unitId: 'kec', tier: 'camat', reason: 'rule' });
    expect(decideRoute({ ...base, rule: { tier: 'inspektorat', unit: null } })).toEqual({ unitId: 'insp', tier: 'inspektorat', reason: 'rule' });
  });

  it('sends complaints about officials to the Inspektorat, never to the accused unit', () => {
    expect(decideRoute({ ...base, aboutOfficial: true })).toMatchObject({ unitId: 'insp', reason: 'conflict_of_interest' });
    expect(decideRoute({ ...base, accusedUnitIds: ['kel'] })).toMatchObject({ unitId: 'insp', reason: 'conflict_of_interest' });
    // Even when the Inspektorat is unusable, the accused lurah is skipped.
    const noInsp = decideRoute({ ...base, inspektorat: null, accusedUnitIds: ['kel'] });
    expect(noInsp).toEqual({ unitId: 'kec', tier: 'camat', reason: 'fallback_camat' });
  });

  it('falls back to the camat when the rule names a unit that is gone or inactive', () => {
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: null } })).toEqual({ unitId: 'kec', tier: 'camat', reason: 'fallback_camat' });
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: { id: 'pupr', active: false } } })).toMatchObject({ unitId: 'kec' });
    expect(decideRoute({ ...base, kelurahanOffice: null })).toMatchObject({ unitId: 'kec', reason: 'fallback_camat' });
  });

  it('never sends a complaint nowhere while any office is usable', () => {
    expect(decideRoute({ ...base, kelurahanOffice: null, kecamatanOffice: null })).toEqual({ unitId: 'insp', tier: 'inspektorat', reason: 'fallback_inspektorat' });
    expect(decideRoute({ ...base, kelurahanOffice: null, kecamatanOffice: null, inspektorat: null })).toBeNull();
  });
});
