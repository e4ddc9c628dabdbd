import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import type { z } from 'zod';
import type { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import type { ComplaintEvent } from '../domain/complaint-events';
import type { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';

/**
 * What a step gets from the shell (ActOnComplaintHandler): the locked complaint's unit of work,
 * the caller, the access facts it passed, and the official's audit entry and message author.
 */
export interface ActionContext {
  uow: ComplaintUnitOfWork;
  official: Principal;
  facts: ComplaintAccessFacts;
  deadlines: DeadlinePolicy;
  author: { type: 'official'; officialId: string; unitId: string | null };
  /** the step's audit entry: the official as actor, their unit, the API channel, the request */
  audit(event: ComplaintEvent, data: Record<string, unknown>): void;
}

/** One official action: its request body and its step (the aggregate's decision and the writes). */
export interface OfficialActionStep<S extends z.ZodType = z.ZodType> {
  input: S;
  run(ctx: ActionContext, input: z.output<S>): Promise<void>;
}

/** Declares an action's step; `run` sees the body its schema parsed. */
export function officialAction<S extends z.ZodType>(input: S, run: (ctx: ActionContext, input: z.output<S>) => Promise<void>): OfficialActionStep<S> {
  return { input, run };
}
