import { Principal } from '@aduan/directory';
import { ProblemException } from '@aduan/platform';
import { Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';
import { BoardSigner, mayOpenQueueBoard, QUEUE_BOARD_TICKET_SECONDS, queueBoardTicket } from './queue-board';

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin/queues')
export class QueueBoardController {
  constructor(private readonly signer: BoardSigner) {}

  @Post('session')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'A link that opens the queue board (/admin/queues) for this admin: good for one minute, once. It sets a cookie for the board only; ' +
      'retry and clean there are audited, other writes refused (bootstrap and tenant admins)',
  })
  @ApiResponse({ status: 201, description: '{url, expires_in}' })
  open(@CurrentOfficial() actor: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!mayOpenQueueBoard(actor)) throw ProblemException.forbidden('Only administrators open the queue board.');
    void reply.header('Cache-Control', 'no-store');
    return { url: queueBoardTicket(this.signer, actor), expires_in: QUEUE_BOARD_TICKET_SECONDS };
  }
}
