import { Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';

@Injectable()
export class IntegrationsMetrics {
  readonly deliveries;
  readonly attemptSeconds;
  readonly eventToDeliverySeconds;
  readonly disabledEndpoints;
  readonly relayLagSeconds;

  constructor(metrics: MetricsService) {
    this.deliveries = metrics.counter('conversa_webhook_deliveries_total', 'Outbound webhook attempts by endpoint and outcome', ['endpoint', 'outcome']);
    this.attemptSeconds = metrics.histogram('conversa_webhook_attempt_seconds', 'Duration of one outbound webhook attempt', [], [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15]);
    this.eventToDeliverySeconds = metrics.histogram('conversa_webhook_event_to_delivery_seconds', 'From event commit to a successful delivery', [], [0.01, 0.05, 0.1, 0.25, 1, 5, 60, 3600]);
    this.disabledEndpoints = metrics.counter('conversa_webhook_endpoints_disabled_total', 'Webhook endpoints disabled (410 or failing too long)', []);
    this.relayLagSeconds = metrics.histogram('conversa_outbox_relay_lag_seconds', 'From event commit to its fan-out by the relay (queue lag)', [], [0.01, 0.05, 0.1, 0.25, 1, 5, 60]);
  }
}
