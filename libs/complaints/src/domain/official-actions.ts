import type { ComplaintStatus } from './complaint-status';

/**
 * The actions an official takes on a complaint, and the statuses each is allowed from: the
 * aggregate enforces this table, the official's view lists what it allows now, and the request
 * schemas are a `Record` over its names.
 */
export const OFFICIAL_ACTION_FROM = {
  acknowledge: ['routed'],
  'request-info': ['routed', 'in_progress'],
  forward: ['routed', 'in_progress'],
  return: ['routed', 'in_progress'],
  resolve: ['routed', 'in_progress'],
  reject: ['routed', 'in_progress', 'awaiting_info'],
} as const satisfies Record<string, readonly ComplaintStatus[]>;

export type OfficialActionName = keyof typeof OFFICIAL_ACTION_FROM;
export const OFFICIAL_ACTIONS = Object.keys(OFFICIAL_ACTION_FROM) as OfficialActionName[];

/** The actions the state machine allows from `status`, in the table's order. */
export function actionsAllowedFrom(status: ComplaintStatus): OfficialActionName[] {
  return OFFICIAL_ACTIONS.filter((a) => (OFFICIAL_ACTION_FROM[a] as readonly ComplaintStatus[]).includes(status));
}
