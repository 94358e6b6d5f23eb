/**
 * Realistic, distinct, signed Meta webhook bodies for the webhooks benchmark.
 * Inbound texts come from a fixed population of senders (half of them already known contacts with a
 * conversation and outbound messages), statuses target the seeded outbound messages. Every body differs
 * (a fresh wamid per message, a distinct timestamp per status), so every idempotency key differs.
 */
import {
  type BusinessNumber,
  buildInboundWebhook,
  buildStatusWebhook,
  metaJsonStringify,
  type SimulatedStatus,
  signMetaPayload,
} from '../../src/modules/whatsapp/sandbox/simulator-webhooks';

export interface SignedBody {
  body: string;
  signature: string;
}

export interface BenchPopulation {
  business: BusinessNumber;
  /** Sender wa_ids (digits). The first `knownSenders` exist as contacts with a conversation. */
  senders: string[];
  knownSenders: number;
  /** Seeded outbound messages (provider id + recipient wa_id) that statuses refer to. */
  outbound: Array<{ providerMessageId: string; recipient: string }>;
}

const TEXTS = [
  'Hola, quería saber si tienen disponibilidad para mañana',
  '¿Cuál es el horario de atención?',
  'Gracias! Quedo atento',
  'Necesito cambiar la dirección de envío del pedido 4411',
  'Me llegó el producto, todo bien 👍',
  '¿Aceptan transferencia?',
  'Sí, confirmo la hora',
  'Pueden llamarme después de las 6?',
  'El link no me abre, me lo pueden reenviar?',
  'Ok perfecto',
];

/** Chilean mobile wa_ids: 569 + 8 digits, distinct per index. */
export function senderWaIds(count: number, seed = 4): string[] {
  return Array.from({ length: count }, (_, i) => `569${seed}${String(i).padStart(7, '0')}`);
}

export function contactName(index: number): string {
  return `Cliente ${index}`;
}

function sign(payload: Record<string, unknown>, appSecret: string): SignedBody {
  const body = metaJsonStringify(payload);
  return { body, signature: signMetaPayload(body, appSecret) };
}

/**
 * An endless stream of distinct bodies: 4 inbound texts then 1 status, senders round-robin.
 * `burst` mode stops varying status timestamps and instead walks every seeded message through
 * delivered then read (so a 20,000-event burst = 16,000 texts + 4,000 statuses over 2,000 messages).
 */
export class PayloadStream {
  private n = 0;
  private inboundCount = 0;
  private statusCount = 0;
  private readonly baseTs = Math.floor(Date.now() / 1000) - 3600;

  constructor(
    private readonly population: BenchPopulation,
    private readonly appSecret: string,
  ) {}

  next(): SignedBody {
    const i = this.n++;
    return i % 5 === 4 ? this.status() : this.inbound();
  }

  take(count: number): SignedBody[] {
    return Array.from({ length: count }, () => this.next());
  }

  private inbound(): SignedBody {
    const k = this.inboundCount++;
    const senderIndex = k % this.population.senders.length;
    const round = Math.floor(k / this.population.senders.length);
    return sign(
      buildInboundWebhook({
        phoneNumberId: this.population.business.phoneNumberId,
        displayPhoneNumber: this.population.business.displayPhoneNumber,
        wabaId: this.population.business.wabaId,
        from: this.population.senders[senderIndex],
        name: contactName(senderIndex),
        text: `${TEXTS[(senderIndex + round) % TEXTS.length]}`,
        // Per sender, messages move forward in time (Meta timestamps are seconds).
        timestamp: this.baseTs + round * 2 + (senderIndex % 2),
      }),
      this.appSecret,
    );
  }

  private status(): SignedBody {
    const k = this.statusCount++;
    const { outbound } = this.population;
    const message = outbound[k % outbound.length];
    const lap = Math.floor(k / outbound.length);
    const status: SimulatedStatus = lap % 2 === 0 ? 'delivered' : 'read';
    return sign(
      buildStatusWebhook({
        business: this.population.business,
        messageId: message.providerMessageId,
        recipientId: message.recipient,
        status,
        // Distinct per status event, so repeated laps over the same message stay distinct bodies.
        timestamp: this.baseTs + 60 + k,
      }),
      this.appSecret,
    );
  }
}
