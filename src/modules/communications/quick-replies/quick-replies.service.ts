import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { escapeLike } from '../../../common/pagination';
import { CommunicationsErrorCode } from '../communications.errors';
import type { CreateQuickReplyDto, QuickReplyDto, UpdateQuickReplyDto } from './quick-reply.dto';

export const MAX_QUICK_REPLIES = 500;

interface QuickReplyRow {
  id: string;
  shortcut: string;
  body: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, shortcut, body, created_at, updated_at';
const toDto = (row: QuickReplyRow): QuickReplyDto => ({
  id: row.id,
  shortcut: row.shortcut,
  body: row.body,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Saved replies: a small per-organisation list the composer loads whole and filters as the agent types. */
@Injectable()
export class QuickRepliesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(organizationId: string, q?: string): Promise<{ data: QuickReplyDto[] }> {
    const params: unknown[] = [organizationId, MAX_QUICK_REPLIES];
    let where = '';
    if (q?.trim()) {
      params.push(escapeLike(q.trim().toLowerCase()));
      where = `AND (lower(shortcut) LIKE $3 || '%' OR lower(body) LIKE '%' || $3 || '%')`;
    }
    const rows: QuickReplyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM quick_reply WHERE organization_id = $1 ${where} ORDER BY lower(shortcut), id LIMIT $2`,
      params,
    );
    return { data: rows.map(toDto) };
  }

  async create(organizationId: string, input: CreateQuickReplyDto): Promise<QuickReplyDto> {
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count FROM quick_reply WHERE organization_id = $1`, [organizationId])) as Array<{ count: number }>;
    if (count >= MAX_QUICK_REPLIES) throw new DomainError(CommunicationsErrorCode.QuickReplyConflict, `An organisation keeps at most ${MAX_QUICK_REPLIES} quick replies`);
    const rows = await this.write(
      `INSERT INTO quick_reply (organization_id, shortcut, body) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [organizationId, input.shortcut, input.body],
      input.shortcut,
    );
    return toDto(rows[0]);
  }

  async update(organizationId: string, id: string, input: UpdateQuickReplyDto): Promise<QuickReplyDto> {
    const rows = await this.write(
      `UPDATE quick_reply SET shortcut = COALESCE($3, shortcut), body = COALESCE($4, body), updated_at = now()
       WHERE id = $1 AND organization_id = $2 RETURNING ${COLUMNS}`,
      [id, organizationId, input.shortcut ?? null, input.body ?? null],
      input.shortcut,
    );
    if (!rows[0]) throw notFound();
    return toDto(rows[0]);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    const [, affected] = (await this.dataSource.query(`DELETE FROM quick_reply WHERE id = $1 AND organization_id = $2`, [id, organizationId])) as [unknown, number];
    if (!affected) throw notFound();
  }

  private async write(sql: string, params: unknown[], shortcut: string | undefined): Promise<QuickReplyRow[]> {
    try {
      const result = (await this.dataSource.query(sql, params)) as QuickReplyRow[] | [QuickReplyRow[], number];
      // TypeORM's postgres driver answers UPDATE … RETURNING with [rows, affected], INSERT … RETURNING with rows.
      return Array.isArray(result[0]) ? (result[0] as QuickReplyRow[]) : (result as QuickReplyRow[]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(CommunicationsErrorCode.QuickReplyConflict, 'A quick reply with this shortcut already exists', { shortcut });
      }
      throw error;
    }
  }
}

const notFound = () => new NotFoundError(CommunicationsErrorCode.QuickReplyNotFound, 'quick reply');
