import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { CommonErrorCode } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';

/** PostgreSQL text cannot hold U+0000: a query, path or body string carrying it is a 400, never a failed statement. */
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'custom' && containsNul(value)) {
      throw new DomainError(CommonErrorCode.InvalidCharacters, `The request ${metadata.type} contains a NUL character (\\u0000)`);
    }
    return value;
  }
}

/** Iterative: a JSON body may nest deeper than the call stack. */
export function containsNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\0')) return true;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\0')) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
