import type { AppConfig } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import { VerifyAuditLogCommand } from './verify-audit-log.command';
import { VerifyAuditLogHandler } from './verify-audit-log.handler';

const KEY = 'PRIVATE+KEY+test.aduan.invalid/audit+bfe9d625+AYc+uZhuWt83AczdlK6KcwxYBh42Q7/pxim8LGznsQ5l';

/**
 * An empty audit log as the handler's queries see it, and the run's row; every UPDATE of the row
 * is recorded. (The handler against real PostgreSQL: test/e2e/audit-log.e2e-spec.ts.)
 */
function fakeDatabase(status: string) {
  const updates: { status: string | null; progress: unknown; result: unknown }[] = [];
  const query = async (text: string, params: unknown[] = []) => {
    if (text.startsWith('UPDATE audit_verification')) {
      updates.push({ status: params[1] as string | null, progress: params[2] && JSON.parse(params[2] as string), result: params[3] && JSON.parse(params[3] as string) });
      return [];
    }
    if (text.includes('FROM audit_verification WHERE id')) {
      return [{ id: params[0], status, requested_at: new Date(), started_at: null, finished_at: null, progress: {}, result: null }];
    }
    if (text.includes('count(*) FROM audit_entry')) return [{ entries: '0', leaves: '0' }];
    if (text.includes('audit_seal_state')) return [{ snapshot: null }];
    return [];
  };
  return { db: { query } as unknown as DataSource, updates };
}

const config = (key?: string) => ({ AUDIT_SIGNING_KEY: key }) as unknown as AppConfig;

describe('VerifyAuditLogHandler', () => {
  it('marks the run running, then done with the result', async () => {
    const { db, updates } = fakeDatabase('queued');
    await new VerifyAuditLogHandler(db, config(KEY)).execute(new VerifyAuditLogCommand('run-1'));
    expect(updates[0]).toMatchObject({ status: 'running' });
    const last = updates[updates.length - 1];
    expect(last).toMatchObject({ status: 'done', result: { ok: true, entries_checked: 0, findings: [] } });
  });

  it('leaves a finished run alone, so a repeated job does nothing', async () => {
    for (const status of ['done', 'failed']) {
      const { db, updates } = fakeDatabase(status);
      await new VerifyAuditLogHandler(db, config(KEY)).execute(new VerifyAuditLogCommand('run-2'));
      expect(updates).toEqual([]);
    }
  });

  it('records why a run could not check anything (no public key configured)', async () => {
    const { db, updates } = fakeDatabase('queued');
    await new VerifyAuditLogHandler(db, config()).execute(new VerifyAuditLogCommand('run-3'));
    expect(updates[updates.length - 1]).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(/public key is not configured/) } });
  });
});
