import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { urlRefusal } from '../delivery/url-guard';
import { envelopeOf } from '../delivery/webhook-delivery.service';
import { type ForwardedEvent, type WebsocketEndpoint, advanceCursor, nextEvents } from './websocket-cursor-store';
import { websocketFrame } from './websocket-frame';
import type { WebsocketMetrics } from './websocket-metrics.service';

export interface ForwarderOptions {
  dataSource: DataSource;
  metrics: WebsocketMetrics;
  logger: Logger;
  /** The signing secrets of an endpoint (the previous one too during a rotation's overlap). */
  secretsOf: (endpoint: WebsocketEndpoint) => string[];
  allowPrivateUrls: boolean;
  /** Opening handshake and pong wait. */
  timeoutMs: number;
  pollIntervalMs: number;
  batchSize: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** While idle, a ping this often finds a connection that died silently. */
const IDLE_PING_MS = 10_000;
/** While idle, the cursor follows the horizon this often, so the next read does not rescan skipped event types. */
const IDLE_ADVANCE_MS = 5_000;

/**
 * One endpoint's connection: opens it, forwards the outbox after the endpoint's cursor in order, and reconnects
 * with exponential backoff and jitter when it fails. A batch counts as delivered once the receiver answered a ping
 * sent after it: TCP and WebSocket keep order, so the pong proves every frame before it was read by the receiver's
 * process. Only then does the cursor move (at least once: a batch cut short is sent again, same `webhook-id`).
 */
export class EndpointForwarder {
  private stopped = false;
  private socket?: WebSocket;
  private wake?: () => void;
  private readonly done: Promise<void>;

  constructor(
    public endpoint: WebsocketEndpoint,
    private readonly options: ForwarderOptions,
  ) {
    this.done = this.run();
  }

  /** Closes the connection and waits for the loop to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.socket?.terminate();
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let opened = false;
      try {
        const socket = await this.open();
        opened = true;
        failures = 0;
        this.options.metrics.connectedEndpoints.inc();
        try {
          await this.pump(socket);
        } finally {
          this.options.metrics.connectedEndpoints.dec();
          socket.terminate();
        }
      } catch (error) {
        if (this.stopped) break;
        this.options.metrics.connectionFailures.inc({ endpoint: this.endpoint.id });
        this.options.logger.warn({ endpointId: this.endpoint.id, opened, err: { message: (error as Error).message } }, 'websocket forwarding connection failed; reconnecting');
      }
      if (this.stopped) break;
      failures += 1;
      await this.sleep(backoffMs(failures, this.options.backoffBaseMs, this.options.backoffMaxMs));
    }
  }

  private async open(): Promise<WebSocket> {
    const refusal = await urlRefusal(this.endpoint.url, this.options.allowPrivateUrls);
    if (refusal) throw new Error(`refused: ${refusal}`);
    const socket = new WebSocket(this.endpoint.url, {
      handshakeTimeout: this.options.timeoutMs,
      followRedirects: false,
      maxPayload: 64 * 1024,
      headers: { 'user-agent': 'Conversa-Webhooks/1' },
    });
    this.socket = socket;
    // Frames from the receiver are not part of the protocol: a pong is the acknowledgement.
    socket.on('message', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', (code) => reject(new Error(`closed during the handshake (${code})`)));
    });
    return socket;
  }

  /** Forwards until the connection breaks (throws) or the forwarder stops (returns). */
  private async pump(socket: WebSocket): Promise<void> {
    const closed = new Promise<never>((_, reject) => {
      socket.once('close', (code) => reject(new Error(`connection closed (${code})`)));
      socket.on('error', (error) => reject(error));
    });
    closed.catch(() => undefined);
    let lastPing = Date.now();
    let lastAdvance = Date.now();
    while (!this.stopped) {
      const batch = await Promise.race([nextEvents(this.options.dataSource, this.endpoint, this.options.batchSize), closed]);
      if (!batch) throw new Error('the endpoint has no cursor');
      if (batch.events.length > 0) {
        await Promise.race([this.send(socket, batch.events), closed]);
        await Promise.race([this.pingPong(socket), closed]);
        const last = batch.events[batch.events.length - 1];
        await advanceCursor(this.options.dataSource, this.endpoint.id, last.xid, last.seq);
        this.options.metrics.framesSent.inc({ endpoint: this.endpoint.id }, batch.events.length);
        lastPing = lastAdvance = Date.now();
        if (batch.events.length >= this.options.batchSize) continue;
      } else {
        if (Date.now() - lastAdvance > IDLE_ADVANCE_MS) {
          await advanceCursor(this.options.dataSource, this.endpoint.id, batch.horizon, '0');
          lastAdvance = Date.now();
        }
        if (Date.now() - lastPing > IDLE_PING_MS) {
          await Promise.race([this.pingPong(socket), closed]);
          lastPing = Date.now();
        }
      }
      await Promise.race([this.sleep(this.options.pollIntervalMs), closed]);
    }
  }

  private async send(socket: WebSocket, events: ForwardedEvent[]): Promise<void> {
    const secrets = this.options.secretsOf(this.endpoint);
    await Promise.all(
      events.map((event) => {
        const frame = websocketFrame(event.id, JSON.stringify(envelopeOf({ eventId: event.id, eventType: event.type, eventCreatedAt: event.createdAt, organizationId: event.organizationId, data: event.data })), secrets);
        return new Promise<void>((resolve, reject) => socket.send(frame, (error) => (error ? reject(error) : resolve())));
      }),
    );
  }

  private pingPong(socket: WebSocket): Promise<void> {
    const token = randomBytes(8);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off('pong', onPong);
        reject(new Error('no pong in time'));
      }, this.options.timeoutMs);
      const onPong = (data: Buffer) => {
        if (!data.equals(token)) return;
        clearTimeout(timer);
        socket.off('pong', onPong);
        resolve();
      };
      socket.on('pong', onPong);
      socket.ping(token);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Exponential backoff with full jitter in its upper half: base·2^(n-1), capped, times 0.5–1. */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}
