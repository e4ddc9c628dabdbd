export * from './calendar/holiday-table';
export * from './calendar/holiday.entity';
export * from './calendar/sla-deadline-policy';
export * from './domain/working-calendar';
export * from './sla.module';
