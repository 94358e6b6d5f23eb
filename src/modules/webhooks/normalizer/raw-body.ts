const LONE_SURROGATE = /\p{Surrogate}/gu;

/**
 * Parses a body kept as raw bytes because jsonb rejected it. JSON.parse accepts what PostgreSQL text and jsonb
 * cannot hold, so every string value loses `\u0000` and gets U+FFFD for a lone surrogate; numbers beyond
 * numeric's range are already Infinity (stored as null). Iterative: the nesting may be deeper than the stack.
 */
export function parseRawBody(raw: Buffer): unknown {
  const root: unknown = JSON.parse(raw.toString('utf8'));
  if (typeof root === 'string') return cleanString(root);
  const containers: unknown[] = [root];
  while (containers.length > 0) {
    const container = containers.pop();
    if (typeof container !== 'object' || container === null) continue;
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'string') record[key] = cleanString(value);
      else if (typeof value === 'object' && value !== null) containers.push(value);
    }
  }
  return root;
}

function cleanString(value: string): string {
  return value.replace(/\0/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
