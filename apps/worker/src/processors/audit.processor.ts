import { VerifyAuditLogCommand } from '@aduan/audit';
import { JobName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Processor } from './job-handler';

/** `audit` queue: verify runs requested over HTTP. */
@Injectable()
export class AuditProcessor implements Processor {
  constructor(private readonly commands: CommandBus) {}

  readonly handlers: Processor['handlers'] = {
    [JobName.VerifyAudit]: (p) => this.commands.execute(new VerifyAuditLogCommand(p.verificationId)),
  };
}
