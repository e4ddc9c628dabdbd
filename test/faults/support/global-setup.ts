import { mkdirSync, writeFileSync } from 'node:fs';
import { LOG_DIR, REPORT_FILE } from './report';

/** A fresh drill report (and log directory) per run; each drill file makes its own database, Redis and processes. */
export default function globalSetup(): void {
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(REPORT_FILE, '');
}
