import { DirectoryAuditRecord, DirectoryAuditTrail } from '@aduan/directory';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appendAudit } from './audit-writer';

/** The directory's audit port, written to the hash-chained log like every other entry. */
@Injectable()
export class ChainedDirectoryAuditTrail extends DirectoryAuditTrail {
  append(manager: EntityManager, records: readonly DirectoryAuditRecord[]): Promise<void> {
    return appendAudit(manager, records);
  }
}
