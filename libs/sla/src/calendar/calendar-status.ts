import { ReadinessCheck, ReadinessResult } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarWarning, calendarWarnings } from './calendar-warnings';
import { SlaDeadlinePolicy } from './sla-deadline-policy';

/** Whether the calendars rest on official tables: the warnings of the admin API, the console, the logs and `/health/ready`. */
@Injectable()
export class CalendarStatus implements ReadinessCheck {
  readonly name = 'calendar';

  constructor(private readonly policy: SlaDeadlinePolicy, private readonly dataSource: DataSource) {}

  /** Read from PostgreSQL each time (a few small queries), leaving the deadline policy's caches to the deadlines. */
  async warnings(now: Date = new Date()): Promise<CalendarWarning[]> {
    const book = await this.policy.readCalendars(this.dataSource.manager);
    return calendarWarnings(now, book.tables.zones.values(), (year) => book.isOfficial(year));
  }

  /** A missing table is a warning, never a failure: the system keeps counting, provisionally. */
  async check(): Promise<ReadinessResult> {
    const warnings = await this.warnings();
    if (!warnings.length) return { status: 'ok' };
    return { status: 'warn', detail: warnings.map((w) => w.message_en).join(' ') };
  }
}
