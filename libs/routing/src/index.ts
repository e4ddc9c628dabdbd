export * from './admin-rules/routing-rules.service';
export * from './domain/decide-route';
export * from './route-complaint/route-complaint.command';
export * from './route-complaint/route-complaint.handler';
export * from './routing.module';
export * from './rules/routing-rule.entity';
export * from './rules/seed-routing';
export * from './rules/default-routes';
