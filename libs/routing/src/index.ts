export { type RoutingRuleInput, routingRuleSchema, RoutingRulesService } from './admin-rules/routing-rules.service';
export { type RouteComplaintResult, RouteComplaintsCommand, type RouteRequest } from './route-complaint/route-complaint.command';
export { DISPATCH_JOB, RouteComplaintsHandler } from './route-complaint/route-complaint.handler';
export { RoutingModule } from './routing.module';
export { seedRouting } from './rules/seed-routing';
