import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { SANDBOX_GRAPH_PATH } from '../whatsapp-providers.service';
import { GraphSimulator } from './graph-simulator';

/** The in-process Graph API simulator behind sandbox accounts; it posts its status webhooks to this service. */
export const SandboxSimulatorProvider: Provider = {
  provide: GraphSimulator,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => {
    const base = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
    const delay = config.SANDBOX_STATUS_DELAY_MS;
    return new GraphSimulator({
      publicBaseUrl: `${base}${SANDBOX_GRAPH_PATH}`,
      statusWebhook: {
        url: `${base}/webhooks/meta`,
        appSecret: config.META_APP_SECRET,
        enabled: Boolean(config.META_APP_SECRET),
        delaysMs: { sent: delay, delivered: delay * 2, read: delay * 4 },
      },
    });
  },
};
