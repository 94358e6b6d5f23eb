import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { phoneVariants } from '../../../common/phone';
import { lockAllForTransaction } from '../../../database/advisory-lock';
import { Contact } from '../../../database/entities/contact.entity';
import { contactEventsSql, writeContactEvents } from '../communications-events';

export interface ContactIdentity {
  phoneE164?: string | null;
  waId?: string | null;
  bsuid?: string | null;
  username?: string | null;
  profileName?: string | null;
}

/** Identity fields `upsert` would fill in or correct on an existing contact (empty: nothing changed). */
export type IdentityPatch = Partial<Pick<Contact, 'phoneE164' | 'waId' | 'bsuid' | 'username' | 'profileName'>>;

export function identityPatch(existing: Pick<Contact, 'phoneE164' | 'waId' | 'bsuid' | 'username' | 'profileName'>, identity: ContactIdentity): IdentityPatch {
  const patch: IdentityPatch = {};
  if (!existing.phoneE164 && identity.phoneE164) patch.phoneE164 = identity.phoneE164;
  if (identity.waId && existing.waId !== identity.waId) patch.waId = identity.waId;
  if (!existing.bsuid && identity.bsuid) patch.bsuid = identity.bsuid;
  if (identity.username && existing.username !== identity.username) patch.username = identity.username;
  if (identity.profileName && existing.profileName !== identity.profileName) patch.profileName = identity.profileName;
  return patch;
}

/**
 * What finds a sender's contact: any WhatsApp spelling of the phone, or the BSUID; a wa_id that is not a valid
 * phone number (rare) is matched as it is, so such a sender keeps one contact. The best match comes first in
 * `ORDER BY c.phone_e164 IS NULL, c.created_at`. Used by `findByIdentity` and by KnownSenderInbound.
 */
export function contactMatch(identity: ContactIdentity): { phones: string[]; bsuid: string | null; waId: string | null } | null {
  const phones = identity.phoneE164 ? phoneVariants(identity.phoneE164) : [];
  const bsuid = identity.bsuid ?? null;
  const waId = phones.length === 0 && !bsuid ? (identity.waId ?? null) : null;
  return phones.length > 0 || bsuid || waId ? { phones, bsuid, waId } : null;
}

/** Serialises the creation of one contact (phone, else BSUID, else wa_id) within an organisation. */
function creationLockKey(organizationId: string, identity: string): string {
  return `${organizationId}:${identity}`;
}

/** Owns contact rows: identity matching (phone variants, wa_id, BSUID) and consent. */
@Injectable()
export class ContactsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Finds the contact by any of its identities or creates it; fills identities it lacked.
   * Creation is serialised per organisation+identity with an advisory lock so concurrent webhooks make
   * one row; a contact that already exists (the common case) is found without taking the lock.
   */
  async upsert(organizationId: string, identity: ContactIdentity, manager: EntityManager = this.dataSource.manager): Promise<Contact> {
    const repo = manager.getRepository(Contact);
    let existing = await this.findByIdentity(organizationId, identity, manager);
    if (!existing) {
      await lockAllForTransaction(manager, [creationLockKey(organizationId, (identity.phoneE164 ?? identity.bsuid ?? identity.waId)!)]);
      // Look again under the lock: a concurrent upsert may have created it meanwhile.
      existing = await this.findByIdentity(organizationId, identity, manager);
    }
    if (!existing) {
      const created = await repo.save(
        repo.create({
          organizationId,
          phoneE164: identity.phoneE164 ?? null,
          waId: identity.waId ?? null,
          bsuid: identity.bsuid ?? null,
          username: identity.username ?? null,
          profileName: identity.profileName ?? null,
          labels: [],
          customAttributes: {},
        }),
      );
      await writeContactEvents(manager, 'contact.created', [created.id]);
      return created;
    }
    const patch = identityPatch(existing, identity);
    if (Object.keys(patch).length > 0) {
      await repo.update({ id: existing.id }, patch);
      await writeContactEvents(manager, 'contact.updated', [existing.id]);
    }
    return { ...existing, ...patch } as Contact;
  }

  /**
   * Contacts for phone numbers that have none yet (bulk sends to a new list), in one transaction of four
   * statements whatever their number. Same locks as `upsert`, taken in hash order, so a webhook creating
   * one of these contacts at the same moment ends with one row; a number that meanwhile got a contact
   * under another spelling keeps that one.
   */
  async createForPhones(organizationId: string, phones: string[]): Promise<Map<string, { id: string; optedOut: boolean }>> {
    const created = new Map<string, { id: string; optedOut: boolean }>();
    if (phones.length === 0) return created;
    await this.dataSource.transaction(async (manager) => {
      await lockAllForTransaction(manager, phones.map((phone) => creationLockKey(organizationId, phone)));
      const found = await this.findByPhones(organizationId, phones, manager);
      const missing = phones.filter((phone) => !found.has(phone));
      await manager.query(
        `WITH created AS (
           INSERT INTO contact (organization_id, phone_e164) SELECT $1, p FROM unnest($2::varchar[]) AS p
           ON CONFLICT (organization_id, phone_e164) WHERE phone_e164 IS NOT NULL DO NOTHING RETURNING *)
         ${contactEventsSql('created', 'contact.created')}`,
        [organizationId, missing],
      );
      for (const [phone, contact] of await this.findByPhones(organizationId, phones, manager)) created.set(phone, contact);
    });
    return created;
  }

  /** Phone → its contact, matching every WhatsApp spelling of the number (earliest contact first, as findByIdentity does). */
  async findByPhones(organizationId: string, phones: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, { id: string; optedOut: boolean }>> {
    const byVariant = new Map<string, string[]>();
    for (const phone of phones) for (const variant of phoneVariants(phone)) byVariant.set(variant, [...(byVariant.get(variant) ?? []), phone]);
    const rows: Array<{ id: string; phone: string; optedOut: boolean }> = await manager.query(
      `SELECT id, phone_e164 AS phone, opted_out_at IS NOT NULL AS "optedOut" FROM contact
        WHERE organization_id = $1 AND phone_e164 = ANY($2::varchar[]) ORDER BY created_at, id`,
      [organizationId, [...byVariant.keys()]],
    );
    const found = new Map<string, { id: string; optedOut: boolean }>();
    for (const row of rows) {
      for (const phone of byVariant.get(row.phone) ?? []) if (!found.has(phone)) found.set(phone, { id: row.id, optedOut: row.optedOut });
    }
    return found;
  }

  async findByIdentity(organizationId: string, identity: ContactIdentity, manager: EntityManager = this.dataSource.manager): Promise<Contact | null> {
    const match = contactMatch(identity);
    if (!match) return null;
    // Only the identities given, each by its index (an OR over a null one would scan the organisation's contacts).
    const clauses = [match.phones.length > 0 ? 'c.phone_e164 IN (:...phones)' : null, match.bsuid ? 'c.bsuid = :bsuid' : null, match.waId ? 'c.wa_id = :waId' : null];
    return manager
      .getRepository(Contact)
      .createQueryBuilder('c')
      .where('c.organization_id = :organizationId', { organizationId })
      .andWhere(`(${clauses.filter(Boolean).join(' OR ')})`, match)
      // Prefer the phone match when a sender's phone and BSUID point at two rows, then the oldest.
      .orderBy('c.phone_e164 IS NULL', 'ASC')
      .addOrderBy('c.created_at', 'ASC')
      .getOne();
  }

  /**
   * Consent, with its event in the same statement: `contact.opted_out` when the contact opts out, `contact.updated`
   * when it opts back in; none when its consent does not change (a repeated STOP).
   */
  async setMarketingOptOut(contactId: string, optedOut: boolean, source: string, at: Date, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `WITH before AS (SELECT id AS before_id, opted_out_at IS NOT NULL AS was_opted_out FROM contact WHERE id = $1 FOR UPDATE),
       changed AS (
         UPDATE contact SET opted_out_at = $2, opt_out_source = $3, updated_at = now() FROM before WHERE id = before_id
         RETURNING contact.*, was_opted_out),
       opted_out AS (
         INSERT INTO outbox_event (organization_id, type, data)
         SELECT organization_id, 'contact.opted_out', jsonb_build_object('contactId', id, 'source', opt_out_source) FROM changed
          WHERE opted_out_at IS NOT NULL AND NOT was_opted_out),
       opted_in AS (SELECT * FROM changed WHERE opted_out_at IS NULL AND was_opted_out)
       ${contactEventsSql('opted_in', 'contact.updated')}`,
      [contactId, optedOut ? at : null, source],
    );
  }
}
