/**
 * `npm run seed:scale`: fills SEED_DATABASE_URL (migrated and seeded; its name must contain
 * "bench", "scale" or "test") to SEED_SCALE_TOTAL complaints (1,000,000), SEED_SCALE_HOT
 * (20,000) of them open in one lurah's inbox, seals the audit log, then counts the response-time read model. See
 * seed-scale.ts and seed-response-times.ts for the shape of the data.
 */
import { Pool } from 'pg';
import { rebuildReadModelIfBehind } from './seed-response-times';
import { seedScale } from './seed-scale';
import { progress } from './stats';

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 50_000_000) throw new Error(`${name} must be an integer 0..50000000, got ${String(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const url = process.env.SEED_DATABASE_URL;
  if (!url) throw new Error('set SEED_DATABASE_URL to a migrated and seeded database (a superuser or the owner role)');
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench|scale|test/.test(name)) throw new Error(`refusing to write a million made-up complaints into "${name}": its name must contain bench, scale or test`);
  const total = count('SEED_SCALE_TOTAL', 1_000_000);
  const hot = count('SEED_SCALE_HOT', 20_000);
  const pool = new Pool({ connectionString: url, max: 1, application_name: 'aduan-seed-scale' });
  try {
    progress(`seed:scale into ${name}: ${total} complaints, ${hot} open in one inbox`);
    const seeded = await seedScale(pool, url, total, hot);
    progress(`seed:scale done: ${seeded.complaints} complaints, ${seeded.hotOpen} open in the hot inbox; audit log sealed in ${seeded.seal.seconds.toFixed(0)} s`);
    const rebuilt = await rebuildReadModelIfBehind(pool, url);
    if (rebuilt !== null) progress(`seed:scale: read model rebuilt in ${rebuilt.toFixed(0)} s`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  progress(`seed:scale failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
