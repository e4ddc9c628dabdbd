/**
 * The answers the browser pages read, as the server itself declares them: the pages' JSDoc imports
 * these names (`import('../page-types')`), so a field renamed on the server fails the pages'
 * type-check (tsconfig.pages.json). Types only; nothing here runs.
 */
export type { AreaView, CategoryView, TenantView, UnitView } from '@aduan/directory';
export type { Accused, InboxItem, InboxPage, OfficialActionName, OfficialView, PhotoSummary, ResidentView, SubmitComplaintInput, TimelineItem } from '@aduan/complaints';
export type { ProblemDocument } from '@aduan/platform';
export type { HolidayOverview, PublicFigures, PublicStatistics } from '@aduan/sla';
export type { SignedIn, SessionTokens } from '../auth/auth.controller';
export type { ComplaintReceipt } from '../complaints/complaints.controller';

import type { InboxQuery } from '@aduan/complaints';
/** The console badge's counts, as `InboxQuery.summary` answers them. */
export type InboxSummary = Awaited<ReturnType<InboxQuery['summary']>>;
