import type { SimulatedTemplate } from './graph-simulator.types';

/** How the sandbox's "Meta" treats one sandbox number: its template review and the recipients it fails. */
export interface SandboxBehaviour {
  templateReview: { outcome: 'APPROVED' | 'REJECTED'; reason: string | null };
  /** Recipient digits → the Meta error code their messages fail with (in a `failed` status webhook). */
  failingRecipients: Record<string, number>;
}

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = { templateReview: { outcome: 'APPROVED', reason: null }, failingRecipients: {} };

/** Titles Meta gives the codes users most want to try; any other code gets a generic one. */
const ERROR_TITLES: Record<number, string> = {
  130429: 'Rate limit hit',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131050: 'User has stopped marketing messages',
  131051: 'Unsupported message type',
  131053: 'Media upload error',
};

export function sandboxError(code: number): { code: number; title: string; details: string } {
  const title = ERROR_TITLES[code] ?? 'Message failed to send';
  return { code, title, details: `${title} (sandbox failure configured for this recipient)` };
}

/** Meta's `message_template_status_update` webhook for a reviewed template. */
export function buildTemplateStatusWebhook(wabaId: string, template: SimulatedTemplate, reason: string | null): Record<string, unknown> {
  const value: Record<string, unknown> = {
    event: template.status,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
    reason: reason ?? 'NONE',
    message_template_category: template.category,
  };
  if (template.status === 'REJECTED') value.rejection_info = { reason: reason ?? 'Rejected by the sandbox review', recommendation: 'Edit the template and submit it again.' };
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field: 'message_template_status_update' }] }] };
}
