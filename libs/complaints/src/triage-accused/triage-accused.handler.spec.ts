import type { ComplaintStatus } from '../domain/complaint-status';
import { triageReroutes } from './triage-accused.handler';

const INSP = 'insp';
const at = (status: ComplaintStatus, currentUnitId: string | null) => ({ status, currentUnitId, reviewerUnitId: INSP });

describe('triageReroutes', () => {
  it.each<[string, Parameters<typeof triageReroutes>[0], boolean]>([
    ['clearing a false alarm the Inspektorat holds returns it to routing', { ...at('routed', INSP), decision: 'clear', accusedAfter: [] }, true],
    ['… also once the Inspektorat has acknowledged it', { ...at('in_progress', INSP), decision: 'clear', accusedAfter: [] }, true],
    ['… or asked the resident', { ...at('awaiting_info', INSP), decision: 'clear', accusedAfter: [] }, true],
    ['clearing leaves alone a complaint already passed to another unit', { ...at('in_progress', 'dlh'), decision: 'clear', accusedAfter: [] }, false],
    ['clearing before routing changes only the set: routing will place it', { ...at('submitted', null), decision: 'clear', accusedAfter: [] }, false],
    ['clearing a finished complaint moves nothing', { ...at('resolved', INSP), decision: 'clear', accusedAfter: [] }, false],
    ['confirming the set that keeps it with the Inspektorat moves nothing', { ...at('routed', INSP), decision: 'confirm', accusedAfter: ['kel'] }, false],
    ['confirming a set that covers the unit holding it moves it', { ...at('routed', 'dlh'), decision: 'confirm', accusedAfter: ['dlh'] }, true],
    ['confirming a set that covers the Inspektorat itself moves it on', { ...at('in_progress', INSP), decision: 'confirm', accusedAfter: [INSP] }, true],
    ['confirming a closed complaint moves nothing', { ...at('closed', 'dlh'), decision: 'confirm', accusedAfter: ['dlh'] }, false],
  ])('%s', (_name, facts, expected) => expect(triageReroutes(facts)).toBe(expected));
});
