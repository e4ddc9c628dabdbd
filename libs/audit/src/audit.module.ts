import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditCheckpointEntity, AuditCosignatureEntity, AuditLeafEntity, AuditNodeEntity, AuditSealStateEntity, AuditVerificationEntity } from './audit-tree.entities';

@Module({ imports: [DatabaseModule.forFeature([AuditEntryEntity, AuditLeafEntity, AuditNodeEntity, AuditCheckpointEntity, AuditCosignatureEntity, AuditSealStateEntity, AuditVerificationEntity])] })
export class AuditModule {}
