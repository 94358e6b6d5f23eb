import { EventEmitter, once } from 'node:events';
import { metaMessagesPayload, metaSignature } from '../support/webhooks';

export interface BurstPlan {
  phoneNumberId: string;
  appSecret: string;
  contacts: number;
  messagesPerContact: number;
  /** A contact's messages go out together; the next contact's burst this much later. */
  spacingMs: number;
  /** Base URLs of the api processes; messages alternate between them. */
  apiUrls: string[];
}

const contactPhone = (index: number): string => `5697600${String(index).padStart(4, '0')}`;
const inboundId = (contact: number, message: number): string => `wamid.dist-${contact}-${message}`;

/** Posts each contact's burst as separate signed Meta webhooks, contact after contact; `progress` emits 'burst' with each index sent. */
export class BurstTraffic {
  readonly progress = new EventEmitter();
  readonly statuses = new Map<number, number>();
  sentBursts = 0;

  constructor(private readonly plan: BurstPlan) {}

  async run(): Promise<void> {
    const started = Date.now();
    const inFlight: Array<Promise<void>> = [];
    for (let contact = 0; contact < this.plan.contacts; contact += 1) {
      const wait = started + contact * this.plan.spacingMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(this.burst(contact));
      this.sentBursts = contact + 1;
      this.progress.emit('burst', contact);
    }
    await Promise.all(inFlight);
  }

  /** Resolves once burst `index` has been sent. */
  async reached(index: number): Promise<void> {
    while (this.sentBursts <= index) await once(this.progress, 'burst');
  }

  private async burst(contact: number): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await Promise.all(
      Array.from({ length: this.plan.messagesPerContact }, (_, message) => {
        const last = message === this.plan.messagesPerContact - 1;
        const body = metaMessagesPayload({
          phoneNumberId: this.plan.phoneNumberId,
          messages: [{ id: inboundId(contact, message), from: contactPhone(contact), text: last ? '¿Hasta cuándo puedo declarar el F29?' : `Hola, consulta ${message + 1}`, timestamp: now + message }],
        });
        return this.post(this.plan.apiUrls[(contact + message) % this.plan.apiUrls.length], body);
      }),
    );
  }

  /** Like Meta: anything but a 200 is retried (a few times, a second apart). */
  private async post(apiUrl: string, body: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const status = await fetch(`${apiUrl}/webhooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, this.plan.appSecret) },
        body,
      }).then(
        async (response) => (await response.arrayBuffer(), response.status),
        () => 0,
      );
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
