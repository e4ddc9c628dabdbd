// Test only (the clock-ahead drill): `node --require` this to run a process whose clock is
// CLOCK_AHEAD_MS ahead of the host's (and so of PostgreSQL's). Shifts Date.now() and new Date().
'use strict';
const shift = Number(process.env.CLOCK_AHEAD_MS || 0);
const RealDate = Date;
const realNow = RealDate.now;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + shift);
    else super(...args);
  }
  static now() {
    return realNow() + shift;
  }
}
globalThis.Date = ShiftedDate;
