export * from './audit-chain';
export * from './audit-entry.entity';
export * from './audit-writer';
export * from './audit.module';
