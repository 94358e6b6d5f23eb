export enum AgentsErrorCode {
  FlowNotFound = 'FLOW_NOT_FOUND',
  FlowConflict = 'FLOW_CONFLICT',
  FlowIsShipped = 'FLOW_IS_SHIPPED',
  LlmTimeout = 'LLM_TIMEOUT',
  LlmRequestFailed = 'LLM_REQUEST_FAILED',
  LlmBadResponse = 'LLM_BAD_RESPONSE',
}
