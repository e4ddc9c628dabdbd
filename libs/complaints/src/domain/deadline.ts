/** When a clock runs out, and how it was counted. */
export interface Deadline {
  at: Date;
  /** so many hari kerja from the clock's start; null for a wall-clock duration (drills), which no holiday table moves */
  workingDays: number | null;
  /** counted over a year without an official holiday table (a library's fallback list): it may still move */
  provisional: boolean;
}
