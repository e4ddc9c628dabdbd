import { InboxFilter, inboxFilterSchema, InboxQuery } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ZodPipe } from '@aduan/platform';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Open complaints assigned to the caller’s unit, nearest deadline first',
    description:
      'Answers {items, page, page_size, total, total_is_estimate, next_cursor}. The total is counted up to 1,000; above that total is 1,000 and ' +
      'total_is_estimate is true. For the next page pass next_cursor as cursor (null on the last page); page and cursor do not combine.',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['submitted', 'routed', 'in_progress', 'awaiting_info'] })
  @ApiQuery({ name: 'category', required: false, example: 'SAMPAH' })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'page', required: false, example: 1 })
  @ApiQuery({ name: 'page_size', required: false, example: 50, description: '1–200' })
  @ApiQuery({ name: 'cursor', required: false, description: 'next_cursor of the previous page (opaque)' })
  list(@CurrentOfficial() official: Principal, @Query(new ZodPipe(inboxFilterSchema, 'query')) filter: InboxFilter) {
    return this.inbox.page(official, filter);
  }
}
