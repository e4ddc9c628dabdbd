import { VerifyAuditLogCommand, VerifyAuditLogHandler } from '@aduan/audit';
import { JobName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { Processor } from './job-handler';

/** `audit` queue: verify runs requested over HTTP. */
@Injectable()
export class AuditProcessor implements Processor {
  constructor(private readonly handler: VerifyAuditLogHandler) {}

  readonly handlers: Processor['handlers'] = {
    [JobName.VerifyAudit]: (p) => this.handler.execute(new VerifyAuditLogCommand(p.verificationId)),
  };
}
