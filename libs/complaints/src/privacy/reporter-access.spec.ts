import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import { reporterAccessRefusal } from './reporter-access';

const official = (over: Partial<Principal>): Principal => ({
  officialId: 'o', username: 'u', name: 'n', roles: ['inspector'], tenantCode: '36.73', unitId: 'insp', unitCode: 'INSP.36.73', ...over,
});
const facts: ComplaintAccessFacts = { tenantCode: '36.73', currentUnitId: 'kel', accusedUnitIds: ['kec'] };
const refusal = (p: Principal, f: ComplaintAccessFacts = facts) => reporterAccessRefusal(p, f, 'only inspectors')?.kind ?? null;

describe('reporterAccessRefusal (reveal and erase)', () => {
  it('lets an inspector of the complaint’s tenant reveal its reporter', () => {
    expect(refusal(official({}))).toBeNull();
  });

  it('refuses the handler holding the complaint: they see it, so the refusal is a 403', () => {
    expect(refusal(official({ roles: ['handler'], unitId: 'kel', unitCode: 'KEL.36.73.01.1001' }))).toBe('forbidden');
  });

  it('answers not found to whoever cannot see it: another tenant’s inspector, an accused unit, an admin', () => {
    expect(refusal(official({ tenantCode: '36.71' }))).toBe('not_found');
    expect(refusal(official({ unitId: 'kec', unitCode: 'KEC.36.73.01' }))).toBe('not_found');
    expect(refusal(official({ roles: ['handler'], unitId: 'dlh' }))).toBe('not_found');
    expect(refusal(official({ roles: ['admin'], unitId: null }))).toBe('not_found');
  });

  it('answers not found to an inspector whose own unit the complaint may accuse', () => {
    expect(refusal(official({}), { ...facts, accusedUnitIds: ['insp'] })).toBe('not_found');
  });
});
