import axios, { type AxiosInstance } from 'axios';
import { DomainError } from '../../../common/errors/domain-error';
import { AgentsErrorCode } from '../agents.errors';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  signal?: AbortSignal;
}

export interface ChatCompletionResult {
  content: string;
  totalTokens?: number;
}

/** The port the LLM agent needs; `LlmChatClient` is the OpenAI-compatible adapter. */
export interface ChatCompletionClient {
  complete(request: ChatCompletionRequest): Promise<ChatCompletionResult>;
}

export interface LlmChatClientOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** OpenAI-compatible `POST {baseUrl}/chat/completions`. */
export class LlmChatClient implements ChatCompletionClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: LlmChatClientOptions) {
    this.http = axios.create({ baseURL: options.baseUrl.replace(/\/+$/, ''), timeout: options.timeoutMs });
  }

  async complete(request: ChatCompletionRequest): Promise<ChatCompletionResult> {
    const body = { model: this.options.model, messages: request.messages, max_tokens: request.maxTokens, temperature: request.temperature };
    try {
      const response = await this.http.post('/chat/completions', body, {
        headers: { Authorization: `Bearer ${this.options.apiKey}`, 'Content-Type': 'application/json' },
        signal: request.signal,
      });
      const content = response.data?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new DomainError(AgentsErrorCode.LlmBadResponse, 'Chat completion without message content');
      return { content, totalTokens: response.data?.usage?.total_tokens };
    } catch (error) {
      throw toDomainError(error);
    }
  }
}

function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (axios.isAxiosError(error)) {
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED';
    if (timedOut) return new DomainError(AgentsErrorCode.LlmTimeout, 'Chat completion timed out or was cancelled', { code: error.code });
    // The response body may echo the prompt; only the status is kept.
    return new DomainError(AgentsErrorCode.LlmRequestFailed, 'Chat completion request failed', { status: error.response?.status });
  }
  return new DomainError(AgentsErrorCode.LlmRequestFailed, 'Chat completion request failed');
}
