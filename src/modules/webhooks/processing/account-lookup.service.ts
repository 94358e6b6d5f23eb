import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { AccountUpdateEvent, BusinessCapabilityEvent, PhoneQualityEvent, SecurityEvent } from '../../../domain/normalized-event.types';

/** Every webhook item names its phone number; the account behind it rarely changes. */
const ACCOUNT_TTL_MS = 10_000;

/** Resolves the account a webhook item belongs to, and records account-level facts Meta reports. */
@Injectable()
export class AccountLookup {
  /** Found accounts only: an unknown number is looked up again, so a replay finds an account created since. */
  private readonly cache = new Map<string, { account: WhatsappAccount; expires: number }>();
  private readonly orgAutoReplies = new Map<string, { enabled: boolean; expires: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byPhoneNumberId(phoneNumberId: string, manager: EntityManager = this.dataSource.manager): Promise<WhatsappAccount | null> {
    const hit = this.cache.get(phoneNumberId);
    if (hit && hit.expires > Date.now()) return hit.account;
    const account = await manager.getRepository(WhatsappAccount).findOne({ where: { phoneNumberId } });
    if (account) this.cache.set(phoneNumberId, { account, expires: Date.now() + ACCOUNT_TTL_MS });
    else this.cache.delete(phoneNumberId);
    return account;
  }

  /**
   * Whether inbound messages of this account should reach the agents at all (account and organisation
   * switches). Cached like the account, so a switch takes effect within ACCOUNT_TTL_MS.
   */
  async autoRepliesEnabled(account: WhatsappAccount): Promise<boolean> {
    if (!account.autoRepliesEnabled) return false;
    const hit = this.orgAutoReplies.get(account.organizationId);
    if (hit && hit.expires > Date.now()) return hit.enabled;
    const [row] = await this.dataSource.query(`SELECT settings->>'autoRepliesEnabled' AS flag FROM organization WHERE id = $1`, [account.organizationId]);
    const enabled = row?.flag !== 'false';
    this.orgAutoReplies.set(account.organizationId, { enabled, expires: Date.now() + ACCOUNT_TTL_MS });
    return enabled;
  }

  /** Keeps the latest fact per event kind on the account(s) of that phone number or WABA. */
  async recordProviderState(event: AccountUpdateEvent | PhoneQualityEvent | BusinessCapabilityEvent | SecurityEvent): Promise<void> {
    const phoneNumberId = event.kind === 'account_update' ? event.phoneNumberId : undefined;
    const fact = { ...event, recordedAt: new Date().toISOString() };
    const where = phoneNumberId ? 'phone_number_id = $2' : event.wabaId ? 'waba_id = $2' : null;
    if (!where) return;
    const quality = event.kind === 'phone_quality' ? (event.currentLimit ?? event.event ?? null) : null;
    await this.dataSource.query(
      `UPDATE whatsapp_account SET provider_state = provider_state || jsonb_build_object($1::text, $3::jsonb),
         quality_rating = COALESCE($4, quality_rating), updated_at = now() WHERE ${where}`,
      [event.kind, phoneNumberId ?? event.wabaId, JSON.stringify(fact), quality],
    );
  }
}
