import { DirectoryAuditTrail } from '@aduan/directory';
import { DatabaseModule } from '@aduan/platform';
import { Global, Module } from '@nestjs/common';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditLogReads } from './checkpoints/audit-log-reads';
import { ChainedDirectoryAuditTrail } from './directory-audit-trail.adapter';
import { VerifyAuditLogHandler } from './verify-audit-log/verify-audit-log.handler';
import { AuditCheckpointEntity, AuditCosignatureEntity, AuditLeafEntity, AuditNodeEntity, AuditSealStateEntity, AuditVerificationEntity } from './audit-tree.entities';

/** Global so that the directory's services find their audit port without importing this lib. */
@Global()
@Module({
  imports: [DatabaseModule.forFeature([AuditEntryEntity, AuditLeafEntity, AuditNodeEntity, AuditCheckpointEntity, AuditCosignatureEntity, AuditSealStateEntity, AuditVerificationEntity])],
  providers: [{ provide: DirectoryAuditTrail, useClass: ChainedDirectoryAuditTrail }, AuditLogReads, VerifyAuditLogHandler],
  exports: [DirectoryAuditTrail, AuditLogReads, VerifyAuditLogHandler],
})
export class AuditModule {}
