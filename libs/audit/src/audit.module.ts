import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { AuditEntryEntity } from './audit-entry.entity';

@Module({ imports: [DatabaseModule.forFeature([AuditEntryEntity])] })
export class AuditModule {}
