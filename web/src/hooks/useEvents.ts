import { useEffect, useRef } from 'react';

export type LiveEvent =
  | { type: 'message.created'; conversationId: string; messageId: string }
  | { type: 'message.status'; conversationId: string; messageId: string; status: string }
  | { type: 'conversation.updated'; conversationId: string; reason: string };

const TYPES: LiveEvent['type'][] = ['message.created', 'message.status', 'conversation.updated'];

/** The organisation's event stream (SSE, opened with the session cookie); EventSource reconnects by itself. */
export function useEvents(onEvent: (event: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const listener = (message: MessageEvent<string>) => handler.current(JSON.parse(message.data) as LiveEvent);
    for (const type of TYPES) source.addEventListener(type, listener);
    return () => source.close();
  }, []);
}

/** Calls `fn` at most once per `ms`, trailing: a burst of events becomes one refetch. */
export function coalesce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
