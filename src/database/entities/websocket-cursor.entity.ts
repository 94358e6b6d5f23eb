import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far a ws(s) endpoint has been forwarded: the last outbox event written to it, as (transaction id, seq) —
 * the order events become final in (see `outbox_event.xid`). Rows start at the oldest open transaction when the
 * endpoint is created, so it gets every event committed from then on and none from before.
 */
@Entity('websocket_forward_cursor')
export class WebsocketForwardCursor {
  @PrimaryColumn({ type: 'uuid' })
  endpointId: string;

  @Column({ type: 'bigint' })
  xid: string;

  @Column({ type: 'bigint', default: 0 })
  seq: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
