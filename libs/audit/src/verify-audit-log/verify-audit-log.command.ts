/** Runs verify for one audit_verification row (the `audit.verify` job), recording progress and the result there. */
export class VerifyAuditLogCommand {
  constructor(readonly verificationId: string) {}
}
