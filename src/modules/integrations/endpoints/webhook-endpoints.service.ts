import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { decryptSecret, encryptSecret } from '../../../common/crypto';
import { AppConfig } from '../../../config/app-config';
import { WebhookEndpoint } from '../../../database/entities/webhook-endpoint.entity';
import { EVENT_TYPES } from '../../../domain/events/event-catalogue';
import { IntegrationsErrorCode } from '../integrations.errors';
import { urlRefusal } from '../delivery/url-guard';
import { generateWebhookSecret, isValidWebhookSecret } from '../delivery/webhook-signature';
import { isWebsocketUrl } from '../websocket/websocket-frame';
import { startCursor } from '../websocket/websocket-cursor-store';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto';

export interface EndpointView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  maxPerSecond: number | null;
  ordered: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  secretRotatedOverlapUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Endpoints CRUD and secret rotation; secrets are encrypted at rest and shown only when created or rotated. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(WebhookEndpoint);
  }

  async create(organizationId: string, dto: CreateWebhookEndpointDto): Promise<EndpointView & { secret: string }> {
    await this.assertUrl(dto.url);
    const events = assertEvents(dto.events);
    if (dto.secret !== undefined && !isValidWebhookSecret(dto.secret)) {
      throw new DomainError(IntegrationsErrorCode.InvalidSecret, 'secret must be whsec_ followed by base64 of 24 to 64 bytes');
    }
    const secret = dto.secret ?? generateWebhookSecret();
    // A ws(s) endpoint's cursor starts in the same transaction: it gets every event committed after the endpoint.
    const saved = await this.dataSource.transaction(async (manager) => {
      const endpoint = await manager.save(
        manager.create(WebhookEndpoint, { organizationId, url: dto.url, events, description: dto.description ?? null, maxPerSecond: dto.maxPerSecond ?? null, ordered: dto.ordered ?? false, secretEncrypted: encryptSecret(secret, this.config.encryptionKey) }),
      );
      if (isWebsocketUrl(endpoint.url)) await startCursor(manager, endpoint.id);
      return endpoint;
    });
    return { ...toView(saved), secret };
  }

  async list(organizationId: string): Promise<EndpointView[]> {
    return (await this.repo.find({ where: { organizationId }, order: { createdAt: 'ASC' } })).map(toView);
  }

  async get(organizationId: string, id: string): Promise<EndpointView> {
    return toView(await this.find(organizationId, id));
  }

  async update(organizationId: string, id: string, dto: UpdateWebhookEndpointDto): Promise<EndpointView> {
    const endpoint = await this.find(organizationId, id);
    if (dto.url !== undefined) await this.assertUrl(dto.url);
    Object.assign(endpoint, {
      ...(dto.url !== undefined ? { url: dto.url } : {}),
      ...(dto.events !== undefined ? { events: assertEvents(dto.events) } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.maxPerSecond !== undefined ? { maxPerSecond: dto.maxPerSecond } : {}),
      ...(dto.ordered !== undefined ? { ordered: dto.ordered } : {}),
    });
    return toView(
      await this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(endpoint);
        if (isWebsocketUrl(saved.url)) await startCursor(manager, saved.id);
        return saved;
      }),
    );
  }

  async remove(organizationId: string, id: string): Promise<void> {
    const { affected } = await this.repo.delete({ id, organizationId });
    if (!affected) throw new NotFoundError(IntegrationsErrorCode.EndpointNotFound, 'webhook endpoint');
    await this.dataSource.query(`DELETE FROM websocket_forward_cursor WHERE endpoint_id = $1`, [id]);
  }

  /** A new secret; the previous one keeps signing (both signatures are sent) for WEBHOOK_SECRET_OVERLAP_MS. */
  async rotateSecret(organizationId: string, id: string): Promise<EndpointView & { secret: string }> {
    const endpoint = await this.find(organizationId, id);
    const secret = generateWebhookSecret();
    const key = this.config.encryptionKey;
    // Re-encrypted so the stored previous secret never shares ciphertext with a past row version.
    endpoint.previousSecretEncrypted = encryptSecret(decryptSecret(endpoint.secretEncrypted, key), key);
    endpoint.previousSecretExpiresAt = new Date(Date.now() + this.config.WEBHOOK_SECRET_OVERLAP_MS);
    endpoint.secretEncrypted = encryptSecret(secret, key);
    return { ...toView(await this.repo.save(endpoint)), secret };
  }

  async enable(organizationId: string, id: string): Promise<EndpointView> {
    const endpoint = await this.find(organizationId, id);
    Object.assign(endpoint, { enabled: true, disabledReason: null, failingSince: null });
    return toView(await this.repo.save(endpoint));
  }

  async find(organizationId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.repo.findOne({ where: { id, organizationId } });
    if (!endpoint) throw new NotFoundError(IntegrationsErrorCode.EndpointNotFound, 'webhook endpoint');
    return endpoint;
  }

  private async assertUrl(url: string): Promise<void> {
    const refusal = await urlRefusal(url, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (refusal) throw new DomainError(IntegrationsErrorCode.UrlNotAllowed, `url refused: ${refusal}`, { field: 'url' });
  }
}

function assertEvents(events: string[]): string[] {
  const unknown = events.filter((type) => type !== '*' && !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) throw new DomainError(IntegrationsErrorCode.UnknownEventType, `Unknown event types: ${unknown.join(', ')}`, { known: EVENT_TYPES });
  return [...new Set(events)];
}

function toView(endpoint: WebhookEndpoint): EndpointView {
  const overlap = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > Date.now() ? endpoint.previousSecretExpiresAt : null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    maxPerSecond: endpoint.maxPerSecond,
    ordered: endpoint.ordered,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince,
    secretRotatedOverlapUntil: overlap,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}
