// Prints the fault drills' report (one JSON line per drill, written by test/faults) as a Markdown table.
// `npm run test:faults` runs it after the drills; FAULTS_REPORT names another report file.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = process.env.FAULTS_REPORT ?? join(process.env.FAULTS_LOG_DIR ?? join(tmpdir(), 'aduan-faults'), 'report.jsonl');
if (!existsSync(file)) {
  console.error(`no drill report at ${file}: run the drills first (npm run test:faults)`);
  process.exit(1);
}
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const head = ['drill', 'submitted', '201', 'stored', 'duplicated', 'lost', 'not routed', 'chains broken', 'notices sent', 'repeats at gateway', 'answers', 'time to quiet (s)'];
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
for (const r of rows) {
  const answers = Object.entries(r.statuses).map(([s, n]) => `${s === '0' ? 'none' : s}: ${n}`).join(', ');
  console.log(`| ${[r.drill, r.submitted, r.accepted, r.stored, r.duplicated, r.lost, r.notRouted, r.brokenChains, r.noticesSent, r.noticeRepeatsAtGateway, answers, r.quietSeconds].join(' | ')} |`);
}
