import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-status';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const ALWAYS = [400, 401, 403, 429, 500];
const WHEN_PATH_HAS_ID = [404];
const WHEN_MUTATING = [409, 422];

/** The error responses of every operation, generated from the code → status table: each lists the codes it may carry. */
export function addErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const codesByStatus = groupCodesByStatus();
  document.components ??= {};
  document.components.schemas ??= {};
  for (const [status, codes] of codesByStatus) document.components.schemas[`Error${status}`] = errorSchema(status, codes);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const statuses = [...ALWAYS, ...(path.includes('{') ? WHEN_PATH_HAS_ID : []), ...(method === 'get' ? [] : WHEN_MUTATING)];
      for (const status of statuses) {
        if (!codesByStatus.has(status) || operation.responses[status]) continue;
        operation.responses[status] = { description: `Error: ${codesByStatus.get(status)!.join(', ')}`, content: { 'application/json': { schema: { $ref: `#/components/schemas/Error${status}` } } } };
      }
    }
  }
  return document;
}

function groupCodesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return byStatus;
}

function errorSchema(status: number, codes: ErrorCode[]) {
  return {
    type: 'object' as const,
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer' as const, enum: [status] },
      code: { type: 'string' as const, enum: codes },
      message: { type: 'string' as const },
      details: { type: 'object' as const, additionalProperties: true },
    },
  };
}
