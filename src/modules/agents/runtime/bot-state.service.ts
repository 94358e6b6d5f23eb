import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import { OUT_OF_HOURS_KEY } from '../engine/agents/business-hours.agent';
import { FLOW_STATE_KEY } from '../flows/flow.agent';
import { CommunicationsErrorCode } from '../../communications/communications.errors';

/** Keys the reset clears: the active flow (state, slots), the unsure streak and the out-of-hours notice marker. */
const RESET_KEYS = [FLOW_STATE_KEY, 'unsureStreak', OUT_OF_HOURS_KEY];

@Injectable()
export class BotStateService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly realtime: RealtimePublisher,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'agents' });
  }

  async reset(organizationId: string, conversationId: string): Promise<{ conversationId: string; botState: Record<string, unknown>; botPaused: boolean }> {
    const rows = (await this.dataSource.query(
      `UPDATE conversation SET bot_state = bot_state - $3::text[], updated_at = now()
        WHERE id = $1 AND organization_id = $2 RETURNING id, bot_state, bot_paused`,
      [conversationId, organizationId, RESET_KEYS],
    )) as [Array<{ id: string; bot_state: Record<string, unknown>; bot_paused: boolean }>, number];
    const row = rows[0]?.[0];
    if (!row) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
    this.logger.info({ organizationId, conversationId }, 'bot state reset');
    await this.realtime.publish(organizationId, { type: 'conversation.updated', conversationId, reason: 'bot_reset' });
    return { conversationId: row.id, botState: row.bot_state, botPaused: row.bot_paused };
  }
}
