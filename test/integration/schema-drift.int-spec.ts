import '../../apps/cli/src/entities';
import { createDataSource } from '@aduan/platform';
import { testRoleUrls } from '../support/test-env';

/**
 * The migrated schema is exactly what the entities declare, so `migration:generate` on a
 * migrated database writes nothing and a real change stands alone in its migration. A
 * constraint a hand-written migration named must carry that name in its entity too.
 */
describe('the entities and the migrations', () => {
  it('agree: a migrated database needs no generated migration', async () => {
    const db = await createDataSource(testRoleUrls().owner, 1, 'aduan-test-drift').initialize();
    try {
      const sql = await db.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
