import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { RoutingRulesService } from './admin-rules/routing-rules.service';
import { RouteComplaintsHandler } from './route-complaint/route-complaint.handler';
import { RoutingRuleEntity } from './rules/routing-rule.entity';

@Module({
  imports: [DatabaseModule.forFeature([RoutingRuleEntity])],
  providers: [RouteComplaintsHandler, RoutingRulesService],
  exports: [RoutingRulesService],
})
export class RoutingModule {}
