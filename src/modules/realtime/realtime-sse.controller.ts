import { Controller, Headers, HttpCode, type MessageEvent, Post, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { concatMap, defer, filter, from, interval, map, merge, mergeMap, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { UserRole } from '../../database/entities/enums';
import { AcceptsStreamTicket, CurrentPrincipal, MinRole, type Principal } from '../auth/principal';
import { StreamTicketDto } from '../auth/dto/auth-responses.dto';
import { StreamTickets } from '../auth/stream-tickets.service';
import { type RealtimeEnvelope, STREAMED_OUTBOX_TYPES, realtimeEventOfOutbox } from './realtime.events';
import { RealtimeSubscriber } from './realtime.subscriber';

export const SSE_HEARTBEAT_MS = 15_000;
/** Events replayed after a reconnect at most; a client further behind reloads its views. */
const RESUME_LIMIT = 1000;

@ApiTags('events')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/events')
export class RealtimeSseController {
  constructor(
    private readonly subscriber: RealtimeSubscriber,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: StreamTickets,
  ) {}

  // Agent, not viewer: every POST is closed to viewers (the route-roles rule).
  @Post('ticket')
  @MinRole(UserRole.Agent)
  @HttpCode(201)
  @ApiOperation({ summary: 'A single-use ticket (30 s) that opens GET /api/v1/events?ticket=… from a browser EventSource' })
  @ApiCreatedResponse({ type: StreamTicketDto })
  ticket(@CurrentPrincipal() principal: Principal) {
    return this.tickets.issue(principal);
  }

  /** Server-sent events of the caller's organisation; a comment every 15 s keeps proxies from closing it. */
  @Sse()
  @AcceptsStreamTicket()
  @ApiQuery({ name: 'ticket', required: false, description: 'From POST /api/v1/events/ticket, for clients that cannot send headers' })
  @ApiOperation({ summary: 'Server-sent events: message.created (inbound and outbound), message.status, conversation.updated (this organisation only)' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume: the events after this id are sent first, from the outbox' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Resume as with Last-Event-ID, for a new EventSource (which cannot set it) opened with a fresh ticket; the header wins' })
  @ApiOkResponse({ description: 'text/event-stream; `event:` is the type, `data:` the JSON `{type, …, at}`, `id:` the outbox sequence (message events)', content: { 'text/event-stream': { schema: { type: 'string', example: 'event: message.created\ndata: {"type":"message.created","at":"2026-12-06T12:00:00Z"}\n\n' } } } })
  events(@CurrentPrincipal() principal: Principal, @Headers('last-event-id') lastEventId?: string, @Query('lastEventId') lastEventIdQuery?: string): Observable<MessageEvent> {
    const organizationId = principal.organizationId;
    const resumeFrom = lastEventId ?? (typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined);
    const lastSeq = /^\d{1,18}$/.test(resumeFrom ?? '') ? resumeFrom! : null;
    const replayedSeqs = new Set<string>();
    const live = new Observable<RealtimeEnvelope>((subscriber) =>
      // The teardown (client gone) removes the listener.
      this.subscriber.listen(organizationId, (envelope) => subscriber.next(envelope)),
    );
    // Listening starts before the replay is read, so nothing falls between them; what both carry is sent once.
    const replayed = defer(() => (lastSeq === null ? from([]) : from(this.missedSince(organizationId, lastSeq)).pipe(mergeMap((rows) => from(rows))))).pipe(
      map((envelope) => (replayedSeqs.add(envelope.seq!), envelope)),
    );
    // Sequences compare as numbers ("10" > "9"); a live event at or before the resume point was seen already.
    const fresh = live.pipe(filter((envelope) => !envelope.seq || (!replayedSeqs.has(envelope.seq) && (lastSeq === null || BigInt(envelope.seq) > BigInt(lastSeq)))));
    // Every event carries an id: without one, Nest would number it 1, 2, … and a reconnecting browser would send that
    // as Last-Event-ID and be replayed the whole outbox. An event that is not in the outbox repeats the stream's
    // position: the last sequence sent, the resume point, or the newest sequence when the stream opened.
    let position: string | null = lastSeq;
    const opening = lastSeq === null ? this.newestSeq().then((seq) => void (position ??= seq)) : Promise.resolve();
    opening.catch(() => undefined);
    const events = merge(replayed, fresh).pipe(
      concatMap(async (envelope): Promise<MessageEvent> => {
        if (envelope.seq) {
          if (position === null || BigInt(envelope.seq) > BigInt(position)) position = envelope.seq;
        } else {
          await opening.catch(() => undefined);
        }
        return { type: envelope.event.type, data: { ...envelope.event, at: envelope.at }, id: envelope.seq ?? position ?? '0' };
      }),
    );
    const heartbeat = interval(SSE_HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }) as MessageEvent));
    return merge(events, heartbeat);
  }

  /** The newest sequence of all organisations (one primary-key probe): resuming after it skips nothing of this one's yet to come. */
  private async newestSeq(): Promise<string> {
    const [row]: Array<{ seq: string }> = await this.dataSource.query(`SELECT COALESCE(max(seq), 0)::text AS seq FROM outbox_event`);
    return row.seq;
  }

  private async missedSince(organizationId: string, seq: string): Promise<RealtimeEnvelope[]> {
    const rows: Array<{ seq: string; type: string; data: unknown; created_at: Date }> = await this.dataSource.query(
      `SELECT seq::text, type, data, created_at FROM outbox_event WHERE organization_id = $1 AND seq > $2 AND type = ANY($3::varchar[]) ORDER BY seq LIMIT $4`,
      [organizationId, seq, STREAMED_OUTBOX_TYPES, RESUME_LIMIT],
    );
    return rows.flatMap((row) => {
      const event = realtimeEventOfOutbox(row.type, row.data);
      return event ? [{ organizationId, event, at: new Date(row.created_at).toISOString(), seq: row.seq }] : [];
    });
  }
}
