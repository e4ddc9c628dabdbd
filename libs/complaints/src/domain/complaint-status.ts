/** The lifecycle of a complaint, as residents and officials see it. */
export const COMPLAINT_STATUSES = ['submitted', 'routed', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Statuses in which a complaint sits in some unit's inbox. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'routed', 'in_progress', 'awaiting_info'];

/** An inspector's word on a complaint's possibly-accused units: not yet given, upheld, or a false alarm. */
export const ACCUSED_REVIEWS = ['pending', 'confirmed', 'cleared'] as const;
export type AccusedReview = (typeof ACCUSED_REVIEWS)[number];
