import { InboxFilter, inboxFilterSchema, InboxQuery } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ZodPipe } from '@aduan/platform';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

@ApiTags('officials')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/inbox')
export class InboxController {
  constructor(private readonly inbox: InboxQuery) {}

  @Get('summary')
  @ApiOperation({ summary: 'Counts for the console badge: open, new (no first response yet), overdue' })
  summary(@CurrentOfficial() official: Principal) {
    return this.inbox.summary(official);
  }

  @Get()
  @ApiOperation({ summary: 'Open complaints assigned to the caller’s unit, nearest deadline first' })
  list(@CurrentOfficial() official: Principal, @Query(new ZodPipe(inboxFilterSchema, 'query')) filter: InboxFilter) {
    return this.inbox.page(official, filter);
  }
}
