import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { interval, map, merge, Observable } from 'rxjs';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { RealtimeSubscriber } from './realtime.subscriber';

export const SSE_HEARTBEAT_MS = 15_000;

@ApiTags('events')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/events')
export class RealtimeSseController {
  constructor(private readonly subscriber: RealtimeSubscriber) {}

  /** Server-sent events of the caller's organisation; a comment every 15 s keeps proxies from closing it. */
  @Sse()
  @ApiOperation({ summary: 'Server-sent events: message.created, message.status, conversation.updated (this organisation only)' })
  @ApiOkResponse({ description: '`event:` is the type, `data:` the JSON `{type, …, at}`', content: { 'text/event-stream': { schema: { type: 'string', example: 'event: message.created\ndata: {"type":"message.created","at":"2026-12-06T12:00:00Z"}\n\n' } } } })
  events(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    const events = new Observable<MessageEvent>((subscriber) =>
      // The teardown (client gone) removes the listener.
      this.subscriber.listen(principal.organizationId, (envelope) => {
        subscriber.next({ type: envelope.event.type, data: { ...envelope.event, at: envelope.at } });
      }),
    );
    const heartbeat = interval(SSE_HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }) as MessageEvent));
    return merge(events, heartbeat);
  }
}
