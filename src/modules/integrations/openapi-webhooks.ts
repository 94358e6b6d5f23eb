import type { OpenAPIObject } from "@nestjs/swagger";
import {
  EVENT_TYPES,
  type EventType,
} from "../../domain/events/event-catalogue";

type Schema = Record<string, unknown>;

const str = { type: "string" };
const uuid = { type: "string", format: "uuid" };
const nullableStr = { type: ["string", "null"] };
const counts = {
  sent: { type: "integer" },
  delivered: { type: "integer" },
  failed: { type: "integer" },
  total: { type: "integer" },
};

const object = (properties: Record<string, unknown>): Schema => ({
  type: "object",
  properties,
  required: Object.keys(properties),
});

/** Adds properties that are not always present. */
const optional = (schema: Schema, properties: Record<string, unknown>): Schema => ({
  ...schema,
  properties: { ...(schema.properties as Record<string, unknown>), ...properties },
});

const MESSAGE = object({
  id: uuid,
  conversationId: uuid,
  contactId: uuid,
  whatsappAccountId: uuid,
  direction: { type: "string", enum: ["inbound", "outbound"] },
  type: str,
  status: str,
  text: nullableStr,
  content: {},
  providerMessageId: nullableStr,
  occurredAt: { type: "string", format: "date-time" },
});

const CONVERSATION = object({
  id: uuid,
  contactId: uuid,
  whatsappAccountId: uuid,
  status: { type: "string", enum: ["open", "closed"] },
  assigneeUserId: { type: ["string", "null"], format: "uuid" },
  labels: { type: "array", items: str },
  botPaused: { type: "boolean" },
  flowId: nullableStr,
  flowState: nullableStr,
  updatedAt: { type: "string", format: "date-time" },
});

/** `data` of each event type (mirrors EventData in the event catalogue). */
const DATA: Record<(typeof EVENT_TYPES)[number], Schema> = {
  "message.received": object({ message: MESSAGE }),
  "message.created": object({ message: MESSAGE }),
  "message.status": object({
    messageId: uuid,
    conversationId: uuid,
    status: { type: "string", enum: ["sent", "delivered", "read", "failed"] },
    error: {
      oneOf: [
        { type: "null" },
        object({ code: nullableStr, title: nullableStr, message: nullableStr }),
      ],
    },
  }),
  "conversation.created": object({
    conversationId: uuid,
    conversation: CONVERSATION,
  }),
  "conversation.updated": optional(
    object({
      conversationId: uuid,
      change: str,
      conversation: CONVERSATION,
    }),
    {
      reason: {
        type: "string",
        description:
          "On a bot's `handoff`: why it handed over (`customer_request`, `unsure_streak`, `flow_completed:<flowId>`)",
      },
    },
  ),
  "contact.created": object({ contactId: uuid }),
  "contact.updated": object({ contactId: uuid }),
  "contact.opted_out": object({ contactId: uuid, source: str }),
  "contact.erased": object({ contactId: uuid }),
  "template.status": object({
    templateId: uuid,
    name: str,
    language: str,
    status: str,
    reason: nullableStr,
  }),
  "campaign.progress": object({ campaignId: uuid, ...counts }),
  "campaign.completed": object({ campaignId: uuid, ...counts }),
  "webhook_endpoint.disabled": object({
    endpointId: uuid,
    url: str,
    reason: str,
  }),
};

const SIGNATURE_HEADERS = [
  {
    name: "webhook-id",
    in: "header",
    required: true,
    description:
      "The event id: identical across retries, replays and redeliveries; deduplicate by it",
    schema: uuid,
  },
  {
    name: "webhook-timestamp",
    in: "header",
    required: true,
    description:
      "Unix seconds of this attempt; reject old ones (e.g. > 5 min) against replay",
    schema: str,
  },
  {
    name: "webhook-signature",
    in: "header",
    required: true,
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, one per active secret (two during a rotation)',
    schema: str,
  },
];

function envelope(type: EventType, data: Schema): Schema {
  return object({
    id: uuid,
    type: { type: "string", enum: [type] },
    createdAt: { type: "string", format: "date-time" },
    organizationId: uuid,
    data,
  });
}

/**
 * The OpenAPI 3.1 `webhooks` section: what an endpoint receives for each event type, as Standard Webhooks POSTs
 * (a ws(s) endpoint gets the same body and headers in a frame `{headers, body}`).
 */
export function addEventWebhooks(document: OpenAPIObject): OpenAPIObject {
  const webhooks: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    webhooks[type] = {
      post: {
        summary: `${type} event`,
        description:
          'Sent to every enabled endpoint subscribed to this type (or to "*"), at least once. HTTP: a POST with this body and the signature headers; 2xx acknowledges, 410 disables the endpoint, anything else is retried on the schedule. WebSocket (ws/wss URL): a text frame `{"headers": {"webhook-id", "webhook-timestamp", "webhook-signature"}, "body": "<this JSON as a string>"}`, in order, after a reconnect from where the connection stopped.',
        tags: ["webhooks"],
        parameters: SIGNATURE_HEADERS,
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: envelope(type, DATA[type]) },
          },
        },
        responses: {
          "200": { description: "Any 2xx: delivered" },
          "410": { description: "Gone: the endpoint is disabled" },
        },
      },
    };
  }
  return { ...document, openapi: "3.1.0", webhooks } as OpenAPIObject;
}
