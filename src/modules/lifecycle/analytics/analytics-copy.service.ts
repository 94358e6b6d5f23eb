import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataCopies } from '../../communications/retention/data-copies';

/**
 * Analytics rows carry no text or number, but they name the contact's conversations: an erasure takes them too.
 * Retention leaves them (last year's report keeps its counts after the conversations themselves are gone).
 */
@Injectable()
export class AnalyticsCopy implements OnModuleInit {
  constructor(private readonly copies: DataCopies) {}

  onModuleInit(): void {
    this.copies.register({
      name: 'analytics',
      eraseContact: async (manager, subject) => {
        await manager.query(`DELETE FROM analytics_milestone WHERE conversation_id = ANY($1::uuid[])`, [subject.conversationIds]);
        const [, cycles] = (await manager.query(`DELETE FROM analytics_cycle WHERE conversation_id = ANY($1::uuid[])`, [subject.conversationIds])) as [unknown, number];
        return cycles;
      },
    });
  }
}
