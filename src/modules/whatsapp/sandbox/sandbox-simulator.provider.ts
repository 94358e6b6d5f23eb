import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { SANDBOX_GRAPH_PATH } from '../whatsapp-providers.service';
import { GraphSimulator } from './graph-simulator';

/**
 * The in-process Graph API simulator behind sandbox accounts. The controller authenticates each request as one
 * sandbox account, whose own secret signs the status webhooks posted back to this service; nothing else is accepted.
 */
export const SandboxSimulatorProvider: Provider = {
  provide: GraphSimulator,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => {
    const delay = config.SANDBOX_STATUS_DELAY_MS;
    return new GraphSimulator({
      publicBaseUrl: `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${SANDBOX_GRAPH_PATH}`,
      acceptedTokens: [],
      statusWebhook: { delaysMs: { sent: delay, delivered: delay * 2, read: delay * 4 } },
      templateReviewMs: config.SANDBOX_TEMPLATE_REVIEW_MS,
    });
  },
};
