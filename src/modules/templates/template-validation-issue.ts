/** One broken rule; the same `{field, message}` shape `ValidationFailedError` carries. */
export interface TemplateValidationIssue {
  /** Path into the definition, e.g. `components[1].buttons[0].url`. */
  field: string;
  message: string;
}
