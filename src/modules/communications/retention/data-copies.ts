import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a retention pass or an erasure concerns; every copy filters by it. */
export interface RetentionScope {
  organizationId: string;
  cutoff: Date;
  /** Contacts and conversations under legal hold, and the held contacts' phone numbers (E.164). */
  heldContactIds: string[];
  heldConversationIds: string[];
  heldPhones: string[];
}

export interface ErasureSubject {
  organizationId: string;
  contactId: string;
  /** The contact's conversations (already deleted from conversation when copies run). */
  conversationIds: string[];
  /** Every spelling of the contact's number (E.164 variants), empty for BSUID-only contacts. */
  phones: string[];
  /** Provider message ids of the contact's messages (statuses parked under them). */
  providerMessageIds: string[];
}

/**
 * A copy of communications data kept by another module (raw webhook events, outbound-webhook outbox, Chatwoot
 * map, …). Each owner registers its copy here, so retention and erasure reach every copy without importing its
 * owner: one list per kind of data.
 */
export interface DataCopy {
  name: string;
  /** Erases what the copy holds of one contact, inside the erasure's transaction; returns rows removed. */
  eraseContact?(manager: EntityManager, subject: ErasureSubject): Promise<number>;
  /** Retention of the copy itself (kind `webhookEvents`, …): count and remove up to `limit` expired rows. */
  retention?: { kind: string; count(manager: EntityManager, scope: RetentionScope): Promise<number>; removeBatch(manager: EntityManager, scope: RetentionScope, limit: number): Promise<number> };
}

@Injectable()
export class DataCopies {
  private readonly copies = new Map<string, DataCopy>();

  register(copy: DataCopy): void {
    this.copies.set(copy.name, copy);
  }

  all(): DataCopy[] {
    return [...this.copies.values()];
  }
}
