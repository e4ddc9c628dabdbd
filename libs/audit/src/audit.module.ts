import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditLogReads } from './checkpoints/audit-log-reads';
import { VerifyAuditLogHandler } from './verify-audit-log/verify-audit-log.handler';
import { AuditCheckpointEntity, AuditCosignatureEntity, AuditLeafEntity, AuditNodeEntity, AuditSealStateEntity, AuditVerificationEntity } from './audit-tree.entities';

@Module({
  imports: [DatabaseModule.forFeature([AuditEntryEntity, AuditLeafEntity, AuditNodeEntity, AuditCheckpointEntity, AuditCosignatureEntity, AuditSealStateEntity, AuditVerificationEntity])],
  providers: [AuditLogReads, VerifyAuditLogHandler],
  exports: [AuditLogReads],
})
export class AuditModule {}
