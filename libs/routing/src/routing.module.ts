import { ComplaintsModule } from '@aduan/complaints';
import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { RoutingRulesService } from './admin-rules/routing-rules.service';
import { RouteComplaintsHandler } from './route-complaint/route-complaint.handler';
import { RoutingRuleEntity } from './rules/routing-rule.entity';

@Module({
  imports: [DatabaseModule.forFeature([RoutingRuleEntity]), ComplaintsModule],
  providers: [RouteComplaintsHandler, RoutingRulesService],
  exports: [RouteComplaintsHandler, RoutingRulesService],
})
export class RoutingModule {}
