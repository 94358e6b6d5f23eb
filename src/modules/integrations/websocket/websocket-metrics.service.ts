import { Injectable } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service';

@Injectable()
export class WebsocketMetrics {
  readonly connectedEndpoints;
  readonly framesSent;
  readonly connectionFailures;

  constructor(metrics: MetricsService) {
    this.connectedEndpoints = metrics.gauge('conversa_websocket_connected_endpoints', 'ws(s) endpoints this process holds an open connection to', []);
    this.framesSent = metrics.counter('conversa_websocket_frames_sent_total', 'Event frames written to ws(s) endpoints and confirmed by a pong', ['endpoint']);
    this.connectionFailures = metrics.counter('conversa_websocket_connection_failures_total', 'ws(s) connections that failed to open or broke', ['endpoint']);
  }
}
