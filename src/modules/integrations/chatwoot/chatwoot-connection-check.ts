import type { ChatwootTarget } from './chatwoot-api.client';

export interface ChatwootTestResult {
  ok: boolean;
  check: 'ok' | 'unreachable' | 'token_rejected' | 'inbox_not_found' | 'not_api_inbox' | 'error';
  inboxName: string | null;
  channelType: string | null;
  message: string | null;
}

const TIMEOUT_MS = 10_000;

/** `GET /api/v1/accounts/:account/inboxes/:inbox` answers 401 for a bad token and 404 for an inbox it cannot see. */
export async function checkChatwootConnection(target: ChatwootTarget, inboxId: number): Promise<ChatwootTestResult> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}/api/v1/accounts/${target.accountId}/inboxes/${inboxId}`;
  const result = (check: ChatwootTestResult['check'], message: string | null, inbox?: Record<string, unknown>): ChatwootTestResult => ({
    ok: check === 'ok',
    check,
    inboxName: typeof inbox?.name === 'string' ? inbox.name : null,
    channelType: typeof inbox?.channel_type === 'string' ? inbox.channel_type : null,
    message,
  });
  let res: Response;
  try {
    res = await fetch(url, { headers: { api_access_token: target.apiAccessToken }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return result('unreachable', `Chatwoot could not be reached: ${(error as Error).name}`);
  }
  if (res.status === 401 || res.status === 403) return result('token_rejected', `Chatwoot refused the access token (${res.status})`);
  if (res.status === 404) return result('inbox_not_found', `Inbox ${inboxId} was not found in account ${target.accountId}`);
  if (!res.ok) return result('error', `Chatwoot answered ${res.status}`);
  const inbox = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  // Conversations are created through the inbox's source ids: only an API-channel inbox takes them.
  if (inbox.channel_type !== undefined && inbox.channel_type !== 'Channel::Api') return result('not_api_inbox', `Inbox ${inboxId} is a ${String(inbox.channel_type)} inbox, not an API channel`, inbox);
  return result('ok', null, inbox);
}
