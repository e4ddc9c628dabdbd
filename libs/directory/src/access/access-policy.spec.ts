import { AccessPolicy, ComplaintAccessFacts } from './access-policy';
import { Principal } from './principal';

const official = (over: Partial<Principal>): Principal => ({
  officialId: 'o',
  username: 'u',
  name: 'n',
  roles: ['handler'],
  tenantCode: '36.73',
  unitId: 'unit-a',
  unitCode: 'KEL.36.73.01.1001',
  ...over,
});
const facts: ComplaintAccessFacts = { tenantCode: '36.73', currentUnitId: 'unit-a', accusedUnitIds: [] };

describe('AccessPolicy', () => {
  it('lets a handler see and act on what their unit holds, and nothing else', () => {
    expect(AccessPolicy.canView(official({}), facts)).toBe(true);
    expect(AccessPolicy.canAct(official({}), facts)).toBe(true);
    expect(AccessPolicy.canView(official({ unitId: 'unit-b' }), facts)).toBe(false);
    expect(AccessPolicy.canAct(official({ unitId: 'unit-b' }), facts)).toBe(false);
    expect(AccessPolicy.canView(official({}), { ...facts, currentUnitId: null })).toBe(false);
  });

  it('lets a unit the complaint left read it, but not act on it', () => {
    const left = { ...facts, currentUnitId: 'unit-c', readOnlyUnitIds: ['unit-a'] };
    expect(AccessPolicy.canView(official({}), left)).toBe(true);
    expect(AccessPolicy.canAct(official({}), left)).toBe(false);
    expect(AccessPolicy.canView(official({ unitId: 'unit-b' }), left)).toBe(false);
  });

  it('never shows a complaint to the unit it accuses, whatever the role', () => {
    const accused = { ...facts, accusedUnitIds: ['unit-a'] };
    expect(AccessPolicy.canView(official({}), accused)).toBe(false);
    expect(AccessPolicy.canAct(official({}), accused)).toBe(false);
    expect(AccessPolicy.canView(official({ roles: ['inspector', 'handler'] }), accused)).toBe(false);
    expect(AccessPolicy.canView(official({}), { ...accused, readOnlyUnitIds: ['unit-a'] })).toBe(false);
  });

  it('keeps the accused set and the units their officials head away, whatever the way in', () => {
    // accusedUnitIds already holds the units below a suspect (loadAccessFacts adds them).
    const accused = { ...facts, currentUnitId: 'insp', accusedUnitIds: ['kec', 'kel-1', 'kel-2'], readOnlyUnitIds: ['kel-1'] };
    for (const unitId of ['kec', 'kel-1', 'kel-2']) {
      expect(AccessPolicy.canView(official({ unitId }), accused)).toBe(false);
      expect(AccessPolicy.canAct(official({ unitId }), { ...accused, currentUnitId: unitId })).toBe(false);
      expect(AccessPolicy.mayReceive(accused, unitId)).toBe(false);
    }
    expect(AccessPolicy.mayReceive(accused, 'insp')).toBe(true);
    expect(AccessPolicy.mayReceive(accused, 'kel-3')).toBe(true);
  });

  it('lets an inspector triage what they may read, and nobody else', () => {
    const inspector = official({ roles: ['inspector'], unitId: 'insp' });
    expect(AccessPolicy.canTriage(inspector, facts)).toBe(true);
    expect(AccessPolicy.canTriage(inspector, { ...facts, accusedUnitIds: ['insp'] })).toBe(false);
    expect(AccessPolicy.canTriage(inspector, { ...facts, tenantCode: '36.71' })).toBe(false);
    expect(AccessPolicy.canTriage(official({}), facts)).toBe(false);
    expect(AccessPolicy.canTriage(official({ roles: ['admin'], unitId: null }), facts)).toBe(false);
  });

  it('gives the markers to the Inspektorat of the tenant: not to admins, not to handlers', () => {
    expect(AccessPolicy.canEditMarkers(official({ roles: ['inspector'], unitId: 'insp' }), '36.73')).toBe(true);
    expect(AccessPolicy.canEditMarkers(official({ roles: ['inspector'], unitId: 'insp' }), '36.71')).toBe(false);
    expect(AccessPolicy.canEditMarkers(official({ roles: ['admin'], unitId: null }), '36.73')).toBe(false);
    expect(AccessPolicy.canEditMarkers(official({ roles: ['admin'], unitId: null, tenantCode: null }), '36.73')).toBe(false);
    expect(AccessPolicy.canEditMarkers(official({}), '36.73')).toBe(false);
  });

  it('lets inspectors read their own tenant only, without acting', () => {
    const inspector = official({ roles: ['inspector'], unitId: 'insp' });
    expect(AccessPolicy.canView(inspector, facts)).toBe(true);
    expect(AccessPolicy.canAct(inspector, facts)).toBe(false);
    expect(AccessPolicy.canView(inspector, { ...facts, tenantCode: '36.71' })).toBe(false);
  });

  it('gives admins no complaint content and only their tenant’s directory', () => {
    const admin = official({ roles: ['admin'], unitId: null });
    expect(AccessPolicy.canView(admin, facts)).toBe(false);
    expect(AccessPolicy.canAdminister(admin, '36.73')).toBe(true);
    expect(AccessPolicy.canAdminister(admin, '36.71')).toBe(false);
    expect(AccessPolicy.canAdminister(official({ roles: ['admin'], tenantCode: null }), '36.71')).toBe(true);
    expect(AccessPolicy.canAdminister(official({}), '36.73')).toBe(false);
  });

  describe('separation of duties over accounts', () => {
    const tenantAdmin = official({ roles: ['admin'], unitId: 'setda' });
    const platformAdmin = official({ roles: ['admin'], tenantCode: null, unitId: null });
    const handlerAt = (unitType: string, tenantCode = '36.73') => ({ tenantCode, roles: ['handler'] as const, unitType });

    it('lets a tenant admin manage handlers of its own tenant’s other units', () => {
      expect(AccessPolicy.canManageAccount(tenantAdmin, null, handlerAt('kelurahan'))).toBe(true);
      expect(AccessPolicy.canManageAccount(tenantAdmin, handlerAt('kelurahan'), handlerAt('opd'))).toBe(true);
      expect(AccessPolicy.canManageAccount(tenantAdmin, null, handlerAt('kelurahan', '36.71'))).toBe(false);
      expect(AccessPolicy.canManageAccount(tenantAdmin, handlerAt('kelurahan'), handlerAt('kelurahan', '36.71'))).toBe(false);
    });

    it.each([
      ['grant inspector', null, { tenantCode: '36.73', roles: ['inspector'] as const, unitType: 'inspektorat' }],
      ['grant admin', handlerAt('opd'), { tenantCode: '36.73', roles: ['handler', 'admin'] as const, unitType: 'opd' }],
      ['place a handler in the Inspektorat', null, handlerAt('inspektorat')],
      ['move a handler into the Inspektorat', handlerAt('kelurahan'), handlerAt('inspektorat')],
      ['edit an Inspektorat handler', handlerAt('inspektorat'), handlerAt('inspektorat')],
      ['move a handler out of the Inspektorat', handlerAt('inspektorat'), handlerAt('kelurahan')],
      ['take an admin’s role away', { tenantCode: '36.73', roles: ['admin'] as const, unitType: 'opd' }, handlerAt('opd')],
    ])('leaves "%s" to the platform admin', (_, before, after) => {
      expect(AccessPolicy.canManageAccount(tenantAdmin, before, after)).toBe(false);
      expect(AccessPolicy.canManageAccount(platformAdmin, before, after)).toBe(true);
    });

    it('gives handlers and inspectors no say over accounts, and tenant accounts none over the platform’s', () => {
      expect(AccessPolicy.canManageAccount(official({}), null, handlerAt('kelurahan'))).toBe(false);
      expect(AccessPolicy.canManageAccount(official({ roles: ['inspector'] }), null, handlerAt('kelurahan'))).toBe(false);
      const platformAccount = { tenantCode: null, roles: ['admin'] as const, unitType: null };
      expect(AccessPolicy.canManageAccount(tenantAdmin, platformAccount, platformAccount)).toBe(false);
      expect(AccessPolicy.isPlatformAdmin(platformAdmin)).toBe(true);
      expect(AccessPolicy.isPlatformAdmin(tenantAdmin)).toBe(false);
    });
  });
});
