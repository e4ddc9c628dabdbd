import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the drills' processes write their output. */
export const LOG_DIR = process.env.FAULTS_LOG_DIR ?? join(tmpdir(), 'aduan-faults');
/** One JSON line per drill; `node scripts/faults-table.mjs` prints them as a table. */
export const REPORT_FILE = process.env.FAULTS_REPORT ?? join(LOG_DIR, 'report.jsonl');
