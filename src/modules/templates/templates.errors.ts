export enum TemplatesErrorCode {
  TemplateNotFound = 'TEMPLATE_NOT_FOUND',
  TemplateNotApproved = 'TEMPLATE_NOT_APPROVED',
  TemplateInvalid = 'TEMPLATE_INVALID',
  TemplateDefinitionInvalid = 'TEMPLATE_DEFINITION_INVALID',
  TemplateVariablesInvalid = 'TEMPLATE_VARIABLES_INVALID',
  TemplateNotEditable = 'TEMPLATE_NOT_EDITABLE',
  TemplateAlreadySubmitted = 'TEMPLATE_ALREADY_SUBMITTED',
  TemplateAlreadyExists = 'TEMPLATE_ALREADY_EXISTS',
  TemplateSetNotFound = 'TEMPLATE_SET_NOT_FOUND',
}
