import type { ResolutionClass } from '@aduan/directory';

/**
 * Every service-level default, in hari kerja unless said otherwise: what holds where no
 * `sla_policy` row or setting says otherwise. It lives below `sla` because complaints arms the
 * first-response reminder itself; `sla` counts the rest from here.
 */
export const SLA_DEFAULTS = {
  /** LAPOR! (SP4N): three working days to verify and forward */
  firstResponseWorkingDays: 3,
  /** local SOPs, by the category's class */
  resolutionWorkingDays: { ringan: 2, normatif: 5, tanpa_pemeriksaan: 14, dengan_pemeriksaan: 60 } satisfies Record<ResolutionClass, number>,
  /** the class a category without a known one counts as */
  unclassified: 'normatif' satisfies ResolutionClass,
  /** the reminder to the unit goes out when this share of the first-response window has passed */
  reminderAt: 0.75,
  /** LAPOR!: a resolution the resident leaves unanswered closes after ten working days (SLA_AUTO_CLOSE_WORKING_DAYS overrides) */
  autoCloseWorkingDays: 10,
} as const;
