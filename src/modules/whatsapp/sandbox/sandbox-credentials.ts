import { randomBytes } from 'node:crypto';

/** `sandbox.<account id>.<secret>`: the simulator finds the account from the token, then compares it whole. */
const TOKEN_PATTERN = /^sandbox\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f]{64}$/;

export interface SandboxCredentials {
  accessToken: string;
  /** Signs the webhooks the simulator posts for this account (`/webhooks/meta/:accountId`). */
  appSecret: string;
}

export function issueSandboxCredentials(accountId: string): SandboxCredentials {
  return { accessToken: `sandbox.${accountId}.${randomBytes(32).toString('hex')}`, appSecret: randomBytes(32).toString('hex') };
}

/** The account a token claims to belong to, or null when it is not a token the sandbox issues. */
export function sandboxAccountIdOf(token: string): string | null {
  return TOKEN_PATTERN.exec(token)?.[1] ?? null;
}
