import { DirectoryAuditTrail } from '@aduan/directory';
import { DatabaseModule } from '@aduan/platform';
import { Global, Module } from '@nestjs/common';
import { AuditEntryEntity } from './audit-entry.entity';
import { ChainedDirectoryAuditTrail } from './directory-audit-trail.adapter';

/** Global so that the directory's services find their audit port without importing this lib. */
@Global()
@Module({
  imports: [DatabaseModule.forFeature([AuditEntryEntity])],
  providers: [{ provide: DirectoryAuditTrail, useClass: ChainedDirectoryAuditTrail }],
  exports: [DirectoryAuditTrail],
})
export class AuditModule {}
