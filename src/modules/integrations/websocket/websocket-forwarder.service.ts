import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { decryptSecret } from '../../../common/crypto';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { QueueName } from '../../../queues/queue-names';
import { EndpointForwarder } from './websocket-connection';
import { type WebsocketEndpoint, startCursor, websocketEndpoints } from './websocket-cursor-store';
import { WebsocketMetrics } from './websocket-metrics.service';

/** How often the ws(s) endpoints are listed (new, changed, deleted ones; locks freed by another process). */
const DISCOVERY_MS = 1_000;
const BATCH = 200;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** How long shutdown waits for the discovery in progress and the lock connection to close. */
const SHUTDOWN_WAIT_MS = 2_000;
/** The advisory-lock namespace (first key) of ws endpoint ownership; the second key is hashtext(endpoint id). */
const LOCK_SPACE = 0x7773;

/**
 * Keeps exactly one connection per enabled ws(s) endpoint across all worker processes. Ownership is a
 * PostgreSQL session advisory lock per endpoint, held on one dedicated connection of this process: if this
 * process dies or loses that connection, PostgreSQL frees its locks and another worker takes the endpoints over
 * within a discovery interval (their cursors are in the database). Losing the connection stops every forwarder
 * here first, so two processes never both think they own an endpoint for longer than a lost-connection check.
 */
@Injectable()
export class WebsocketForwarderService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly forwarders = new Map<string, EndpointForwarder>();
  private lockClient?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: WebsocketMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.consumesQueue(QueueName.Integrations)) this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const released = (async () => {
      await this.running;
      await this.releaseAll();
    })();
    // PostgreSQL may be unreachable (its queries then hang): shutdown never waits on it longer than this. Dropping
    // the lock connection's socket gives its locks back as surely as closing it.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), SHUTDOWN_WAIT_MS)));
    if ((await Promise.race([released, late])) === 'late') this.dropLockConnection();
    clearTimeout(timer);
  }

  private dropLockConnection(): void {
    const client = this.lockClient as (Client & { connection?: { stream?: { destroy(): void } } }) | undefined;
    this.lockClient = undefined;
    client?.connection?.stream?.destroy();
  }

  /** Endpoint ids this process forwards to (tests). */
  owned(): string[] {
    return [...this.forwarders.keys()];
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(DISCOVERY_MS));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      const client = await this.lockConnection();
      // Proves the lock connection (and so every lock on it) is still there before acting on ownership.
      await client.query('SELECT 1');
      const endpoints = await websocketEndpoints(this.dataSource);
      const current = new Map(endpoints.map((e) => [e.id, e]));
      for (const [id, forwarder] of this.forwarders) {
        const endpoint = current.get(id);
        if (endpoint && endpoint.url === forwarder.endpoint.url) forwarder.endpoint = endpoint;
        else await this.release(id);
      }
      for (const endpoint of endpoints) {
        if (this.stopped || this.forwarders.has(endpoint.id)) continue;
        const [{ locked }] = (await client.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [LOCK_SPACE, endpoint.id])).rows;
        if (!locked) continue;
        await startCursor(this.dataSource.manager, endpoint.id);
        this.forwarders.set(endpoint.id, this.forwarderOf(endpoint));
      }
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'websocket forwarding discovery failed; retrying');
      await this.releaseAll();
    }
  }

  private forwarderOf(endpoint: WebsocketEndpoint): EndpointForwarder {
    return new EndpointForwarder(endpoint, {
      dataSource: this.dataSource,
      metrics: this.metrics,
      logger: this.logger,
      secretsOf: (e) => this.secretsOf(e),
      allowPrivateUrls: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      pollIntervalMs: this.config.OUTBOX_POLL_INTERVAL_MS,
      batchSize: BATCH,
      backoffBaseMs: BACKOFF_BASE_MS,
      backoffMaxMs: BACKOFF_MAX_MS,
    });
  }

  private async lockConnection(): Promise<Client> {
    if (this.lockClient) return this.lockClient;
    const client = new Client({ connectionString: this.config.DATABASE_URL, keepAlive: true, connectionTimeoutMillis: 5_000, query_timeout: 10_000, application_name: 'conversa-websocket-locks' });
    client.on('error', (error) => {
      this.logger.warn({ err: { message: error.message } }, 'websocket forwarding lock connection lost');
      if (this.lockClient === client) void this.releaseAll();
    });
    client.on('end', () => {
      if (this.lockClient === client) void this.releaseAll();
    });
    await client.connect();
    this.lockClient = client;
    return client;
  }

  private async release(id: string): Promise<void> {
    const forwarder = this.forwarders.get(id);
    this.forwarders.delete(id);
    await forwarder?.stop();
    await this.lockClient?.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_SPACE, id]).catch(() => undefined);
  }

  /** Stops every forwarder, then closes the lock connection: its locks go with it. */
  private async releaseAll(): Promise<void> {
    const forwarders = [...this.forwarders.values()];
    this.forwarders.clear();
    await Promise.all(forwarders.map((f) => f.stop()));
    const client = this.lockClient;
    this.lockClient = undefined;
    await client?.end().catch(() => undefined);
  }

  private secretsOf(endpoint: WebsocketEndpoint): string[] {
    const key = this.config.encryptionKey;
    const secrets = [decryptSecret(endpoint.secretEncrypted, key)];
    const previous = endpoint.previousSecretEncrypted;
    if (previous && endpoint.previousSecretExpiresAt && new Date(endpoint.previousSecretExpiresAt).getTime() > Date.now()) secrets.push(decryptSecret(previous, key));
    return secrets;
  }
}
