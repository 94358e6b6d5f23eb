import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many cycles of a day (per account and agent) took each duration, per metric (1 first response, 2 its business
 * time, 3 resolution, 4 its business time): percentiles come from these counts instead of sorting every cycle.
 * Durations are kept to the second below 10 minutes, to 10 s below 2 hours, to the minute below a day, then to 10 minutes.
 */
@Entity('analytics_daily_duration')
export class AnalyticsDailyDuration {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  whatsappAccountId: string;

  @PrimaryColumn({ type: 'uuid' })
  agentKey: string;

  /** One of the conversations' labels, or '' for all conversations (each cycle counts once under '' and once per label). */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  label: string;

  @PrimaryColumn({ type: 'smallint' })
  metric: number;

  @PrimaryColumn({ type: 'integer' })
  seconds: number;

  @Column({ type: 'integer' })
  cycles: number;
}
