import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';

@Injectable()
export class OutboundMetrics {
  readonly sends: Counter<'account' | 'outcome'>;
  readonly providerLatency: Histogram<'outcome'>;
  readonly rateLimitWaits: Counter<'account' | 'limit'>;
  readonly queueLag: Histogram<'traffic'>;
  readonly lateDispatches: Counter<'account'>;

  constructor(metrics: MetricsService) {
    this.sends = metrics.counter('conversa_outbound_sends_total', 'Provider send attempts by account and outcome (sent, retry, failed, unknown)', ['account', 'outcome']);
    this.providerLatency = metrics.histogram('conversa_outbound_provider_latency_seconds', 'Provider send call latency', ['outcome'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    this.rateLimitWaits = metrics.counter('conversa_outbound_rate_limit_waits_total', 'Send jobs delayed by a rate limit (account budget or recipient pair limit)', ['account', 'limit']);
    this.lateDispatches = metrics.counter('conversa_outbound_late_dispatches_total', 'Sends written out more than LATE_DISPATCH_MS after their rate-window check was asked (a slow check or a busy worker)', ['account']);
    this.queueLag = metrics.histogram('conversa_outbound_queue_lag_seconds', 'Time from queued (or sendAt) to sent', ['traffic'], [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800]);
  }
}
