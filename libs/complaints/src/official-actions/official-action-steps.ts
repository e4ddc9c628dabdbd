import type { z } from 'zod';
import type { OfficialActionName } from '../domain/official-actions';
import { acknowledge } from './acknowledge/acknowledge.action';
import { forward } from './forward/forward.action';
import type { OfficialActionStep } from './official-action';
import { reject } from './reject/reject.action';
import { requestInfo } from './request-info/request-info.action';
import { resolve } from './resolve/resolve.action';
import { returnComplaint } from './return/return.action';

/**
 * Each official action's step, by name. A name added to OFFICIAL_ACTION_FROM fails to compile
 * here until its folder supplies the step (and with it the request schema).
 */
export const OFFICIAL_ACTION_STEPS = {
  acknowledge,
  'request-info': requestInfo,
  forward,
  return: returnComplaint,
  resolve,
  reject,
} as const satisfies Record<OfficialActionName, OfficialActionStep>;

type Steps = typeof OFFICIAL_ACTION_STEPS;

/** Request bodies of the official actions (docs/api.md, Officials), by action path. */
export const officialActionSchemas = Object.fromEntries(Object.entries(OFFICIAL_ACTION_STEPS).map(([name, step]) => [name, step.input])) as {
  [K in OfficialActionName]: Steps[K]['input'];
};

/** An official action as the command carries it: its name and its parsed body. */
export type OfficialAction = { [K in OfficialActionName]: { type: K } & z.output<Steps[K]['input']> }[OfficialActionName];
