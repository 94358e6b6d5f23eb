import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { type CountryCode, normalizePhone, phoneVariants } from '../../../common/phone';
import type { Principal } from '../../auth/principal';
import { contactEventsSql } from '../communications-events';
import { ContactsService } from './contacts.service';
import type { ContactDto, ContactNoteDto, CreateContactDto, CreateNoteDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';
import type { MessageDto } from '../messages/dto/message.dto';
import type { PageQueryDto } from '../../../common/http/page-query.dto';
import { decodeCursor, escapeLike, type Page, pageLimit, toPage } from '../../../common/pagination';
import { MESSAGE_COLUMNS, type MessageRow, messageFromRow } from '../communications-rows';
import { SqlParams } from '../../../database/sql-params';
import { CommunicationsErrorCode } from '../communications.errors';

const CONTACT_COLUMNS = `ct.id, ct.name, ct.profile_name, ct.phone_e164, ct.wa_id, ct.username, ct.labels, ct.custom_attributes,
  ct.opted_out_at, ct.opt_out_source, ct.last_inbound_at, ct.last_outbound_at, ct.created_at, ct.updated_at, ct.created_at::text AS sort_key`;
const SEARCH_EXPR = `conversa_unaccent(lower(coalesce(ct.name, '') || ' ' || coalesce(ct.profile_name, '') || ' ' || coalesce(ct.phone_e164, '')))`;

interface ContactRow {
  id: string;
  name: string | null;
  profile_name: string | null;
  phone_e164: string | null;
  wa_id: string | null;
  username: string | null;
  labels: string[];
  custom_attributes: Record<string, unknown>;
  opted_out_at: Date | null;
  opt_out_source: string | null;
  last_inbound_at: Date | null;
  last_outbound_at: Date | null;
  created_at: Date;
  updated_at: Date;
  sort_key: string;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function contactFromRow(row: ContactRow): ContactDto {
  return {
    id: row.id,
    name: row.name,
    profileName: row.profile_name,
    phoneE164: row.phone_e164,
    waId: row.wa_id,
    username: row.username,
    labels: row.labels,
    customAttributes: row.custom_attributes,
    optedOutAt: iso(row.opted_out_at),
    optOutSource: row.opt_out_source,
    lastInboundAt: iso(row.last_inbound_at),
    lastOutboundAt: iso(row.last_outbound_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Contact management for the dashboard: search, edit, notes, history and consent by an admin. */
@Injectable()
export class ContactDirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
  ) {}

  /** Newest first. A phone-like search matches every WhatsApp spelling exactly, or a digit run; text uses the trigram index. */
  async list(organizationId: string, query: ListContactsQueryDto): Promise<Page<ContactDto>> {
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const p = new SqlParams();
    const where = [`ct.organization_id = ${p.add(organizationId)}`];
    const search = (query.q ?? query.search)?.trim();
    if (search) where.push(await this.searchClause(organizationId, search, p));
    if (cursor) where.push(`(ct.created_at, ct.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid)`);
    const rows: ContactRow[] = await this.dataSource.query(
      `SELECT ${CONTACT_COLUMNS} FROM contact ct WHERE ${where.join(' AND ')} ORDER BY ct.created_at DESC, ct.id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    return toPage(rows, limit, contactFromRow, (row) => ({ k: row.sort_key, id: row.id }));
  }

  async get(organizationId: string, id: string): Promise<ContactDto> {
    const rows: ContactRow[] = await this.dataSource.query(`SELECT ${CONTACT_COLUMNS} FROM contact ct WHERE ct.id = $1 AND ct.organization_id = $2`, [id, organizationId]);
    if (!rows[0]) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
    return contactFromRow(rows[0]);
  }

  async create(organizationId: string, body: CreateContactDto): Promise<ContactDto> {
    const region = (body.region?.toUpperCase() ?? (await this.defaultRegion(organizationId))) as CountryCode;
    const phoneE164 = normalizePhone(body.phone, region);
    const existing = await this.contacts.findByIdentity(organizationId, { phoneE164 });
    if (existing) throw new DomainError(CommunicationsErrorCode.ContactConflict, 'A contact with this phone number already exists', { contactId: existing.id });
    try {
      const [row] = (await this.dataSource.query(
        `WITH created AS (
           INSERT INTO contact (organization_id, phone_e164, wa_id, name, labels, custom_attributes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *),
         outbox AS (${contactEventsSql('created', 'contact.created')})
         SELECT id FROM created`,
        [organizationId, phoneE164, phoneE164.slice(1), body.name ?? null, body.labels ?? [], body.customAttributes ?? {}],
      )) as Array<{ id: string }>;
      return this.get(organizationId, row.id);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new DomainError(CommunicationsErrorCode.ContactConflict, 'A contact with this phone number already exists');
      throw error;
    }
  }

  async update(organizationId: string, id: string, body: UpdateContactDto): Promise<ContactDto> {
    const current = await this.get(organizationId, id);
    const attributes = { ...current.customAttributes, ...(body.customAttributes ?? {}) };
    for (const [key, value] of Object.entries(attributes)) if (value === null) delete attributes[key];
    await this.dataSource.query(
      `WITH changed AS (
         UPDATE contact SET name = $3, labels = $4, custom_attributes = $5, updated_at = now()
          WHERE id = $1 AND organization_id = $2 AND (name, labels, custom_attributes) IS DISTINCT FROM ($3::varchar, $4::text[], $5::jsonb) RETURNING *)
       ${contactEventsSql('changed', 'contact.updated')}`,
      [id, organizationId, body.name === undefined ? current.name : body.name, body.labels ?? current.labels, attributes],
    );
    return this.get(organizationId, id);
  }

  async setOptOut(organizationId: string, id: string, optedOut: boolean): Promise<ContactDto> {
    await this.get(organizationId, id);
    await this.contacts.setMarketingOptOut(id, optedOut, 'admin', new Date());
    return this.get(organizationId, id);
  }

  /** Messages of every conversation with the contact, newest first. */
  async history(organizationId: string, id: string, query: PageQueryDto): Promise<Page<MessageDto>> {
    await this.get(organizationId, id);
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const p = new SqlParams();
    const where = [`m.organization_id = ${p.add(organizationId)}`, `m.contact_id = ${p.add(id)}`];
    if (cursor) where.push(`(m.occurred_at, m.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid)`);
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM message m WHERE ${where.join(' AND ')} ORDER BY m.occurred_at DESC, m.id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    return toPage(rows, limit, messageFromRow, (row) => ({ k: row.sort_key, id: row.id }));
  }

  async addNote(principal: Principal, contactId: string, body: CreateNoteDto): Promise<ContactNoteDto> {
    await this.get(principal.organizationId, contactId);
    const authorUserId = principal.kind === 'user' ? principal.id : null;
    const [row] = (await this.dataSource.query(
      `INSERT INTO contact_note (organization_id, contact_id, author_user_id, body) VALUES ($1, $2, $3, $4) RETURNING id`,
      [principal.organizationId, contactId, authorUserId, body.body],
    )) as Array<{ id: string }>;
    const page = await this.notesWhere(principal.organizationId, contactId, `n.id = '${row.id}'`, 1);
    return page.data[0];
  }

  async listNotes(organizationId: string, contactId: string, query: PageQueryDto): Promise<Page<ContactNoteDto>> {
    await this.get(organizationId, contactId);
    const cursor = decodeCursor(query.cursor);
    const p = new SqlParams();
    p.add(organizationId);
    p.add(contactId);
    const after = cursor ? `(n.created_at, n.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid)` : 'TRUE';
    return this.notesWhere(organizationId, contactId, after, pageLimit(query.limit), p.values);
  }

  private async notesWhere(organizationId: string, contactId: string, condition: string, limit: number, values?: unknown[]): Promise<Page<ContactNoteDto>> {
    const params = values ?? [organizationId, contactId];
    const rows: Array<{ id: string; contact_id: string; body: string; created_at: Date; sort_key: string; author_id: string | null; author_name: string | null }> =
      await this.dataSource.query(
        `SELECT n.id, n.contact_id, n.body, n.created_at, n.created_at::text AS sort_key, u.id AS author_id, u.name AS author_name
         FROM contact_note n LEFT JOIN "user" u ON u.id = n.author_user_id
         WHERE n.organization_id = $1 AND n.contact_id = $2 AND ${condition}
         ORDER BY n.created_at DESC, n.id DESC LIMIT ${limit + 1}`,
        params,
      );
    return toPage(
      rows,
      limit,
      (row) => ({
        id: row.id,
        contactId: row.contact_id,
        body: row.body,
        author: row.author_id ? { id: row.author_id, name: row.author_name } : null,
        createdAt: row.created_at.toISOString(),
      }),
      (row) => ({ k: row.sort_key, id: row.id }),
    );
  }

  private async searchClause(organizationId: string, search: string, p: SqlParams): Promise<string> {
    const digits = search.replace(/\D/g, '');
    if (/^[+\d\s().-]+$/.test(search) && digits.length >= 3) {
      const clauses = [`${SEARCH_EXPR} LIKE ${p.add(`%${digits}%`)}`];
      const variants = await this.phoneSpellings(organizationId, search);
      if (variants.length > 0) clauses.push(`ct.phone_e164 = ANY(${p.add(variants)}::varchar[])`);
      return `(${clauses.join(' OR ')})`;
    }
    return `${SEARCH_EXPR} LIKE conversa_unaccent(lower(${p.add(`%${escapeLike(search)}%`)}))`;
  }

  private async phoneSpellings(organizationId: string, input: string): Promise<string[]> {
    try {
      return phoneVariants(normalizePhone(input, (await this.defaultRegion(organizationId)) as CountryCode));
    } catch {
      return [];
    }
  }

  private async defaultRegion(organizationId: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT default_region FROM whatsapp_account WHERE organization_id = $1 ORDER BY is_default DESC, created_at ASC LIMIT 1`,
      [organizationId],
    )) as Array<{ default_region: string }>;
    return row?.default_region ?? 'CL';
  }
}
