import type { TemplateButton } from './template-definition';
import { parsePlaceholders } from './template-placeholders';
import type { TemplateValidationIssue } from './template-validation-issue';

const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'];
const MAX_BUTTONS = 10;
const MAX_PER_TYPE: Record<string, number> = { URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1 };
const MAX_BUTTON_TEXT = 25;
const MAX_URL = 2000;
const MAX_PHONE = 20;
const MAX_COPY_CODE = 15;

/**
 * Meta's button rules: 1–10 buttons, at most 2 URL, 1 PHONE_NUMBER and 1 COPY_CODE
 * (quick replies up to 10), quick replies grouped together, labels ≤ 25 characters.
 */
export function validateButtons(buttons: unknown, field: string, issues: TemplateValidationIssue[]): void {
  if (!Array.isArray(buttons) || buttons.length === 0) {
    issues.push({ field: `${field}.buttons`, message: 'a BUTTONS component needs between 1 and 10 buttons' });
    return;
  }
  if (buttons.length > MAX_BUTTONS) {
    issues.push({ field: `${field}.buttons`, message: `at most ${MAX_BUTTONS} buttons are allowed, found ${buttons.length}` });
  }
  const list = buttons as TemplateButton[];
  checkTypeCounts(list, field, issues);
  checkQuickReplyGrouping(list, field, issues);
  list.forEach((button, i) => validateButton(button, `${field}.buttons[${i}]`, issues));
}

function checkTypeCounts(buttons: TemplateButton[], field: string, issues: TemplateValidationIssue[]): void {
  for (const [type, max] of Object.entries(MAX_PER_TYPE)) {
    const count = buttons.filter((b) => b?.type === type).length;
    if (count > max) {
      issues.push({ field: `${field}.buttons`, message: `at most ${max} ${type} button(s) are allowed, found ${count}` });
    }
  }
}

function checkQuickReplyGrouping(buttons: TemplateButton[], field: string, issues: TemplateValidationIssue[]): void {
  const flags = buttons.map((b) => b?.type === 'QUICK_REPLY');
  const switches = flags.filter((flag, i) => i > 0 && flag !== flags[i - 1]).length;
  if (switches > 1) {
    issues.push({
      field: `${field}.buttons`,
      message: 'QUICK_REPLY buttons must be grouped together, all before or all after the other buttons',
    });
  }
}

function validateButton(button: TemplateButton, field: string, issues: TemplateValidationIssue[]): void {
  if (!button || !BUTTON_TYPES.includes(button.type)) {
    issues.push({ field: `${field}.type`, message: `button type must be one of ${BUTTON_TYPES.join(', ')}` });
    return;
  }
  if (button.type !== 'COPY_CODE') validateButtonText(button.text, field, issues);
  if (button.type === 'URL') validateUrlButton(button.url, button.example, field, issues);
  if (button.type === 'PHONE_NUMBER') validatePhoneNumber(button.phone_number, field, issues);
  if (button.type === 'COPY_CODE') validateCopyCode(button.example, field, issues);
}

function validateButtonText(text: unknown, field: string, issues: TemplateValidationIssue[]): void {
  if (typeof text !== 'string' || text.trim() === '') {
    issues.push({ field: `${field}.text`, message: 'button text is required' });
  } else if (text.length > MAX_BUTTON_TEXT) {
    const message = `button text is ${text.length} characters; the maximum is ${MAX_BUTTON_TEXT}`;
    issues.push({ field: `${field}.text`, message });
  } else if (text.includes('{{')) {
    issues.push({ field: `${field}.text`, message: 'button text cannot contain variables' });
  }
}

function validateUrlButton(url: unknown, example: unknown, field: string, issues: TemplateValidationIssue[]): void {
  if (typeof url !== 'string' || !url.startsWith('https://')) {
    issues.push({ field: `${field}.url`, message: 'URL button url must start with https://' });
    return;
  }
  if (url.length > MAX_URL) {
    issues.push({ field: `${field}.url`, message: `URL button url is ${url.length} characters; the maximum is ${MAX_URL}` });
  }
  const { placeholders, hasStrayBraces } = parsePlaceholders(url);
  if (hasStrayBraces || placeholders.length > 1) {
    issues.push({ field: `${field}.url`, message: 'URL button url may contain at most one variable, {{1}}' });
  } else if (placeholders.length === 1 && (placeholders[0].raw !== '{{1}}' || !url.endsWith('{{1}}'))) {
    issues.push({ field: `${field}.url`, message: 'URL button variable must be {{1}} at the very end of the url' });
  }
  if (!isParsableUrl(url.replace(/\{\{[^{}]*\}\}/g, ''))) {
    issues.push({ field: `${field}.url`, message: 'URL button url is not a valid URL' });
  }
  if (placeholders.length > 0 && !isSingleSample(example)) {
    issues.push({ field: `${field}.example`, message: 'URL button with a variable needs example: ["<sample full URL>"]' });
  }
}

function validatePhoneNumber(phone: unknown, field: string, issues: TemplateValidationIssue[]): void {
  if (typeof phone !== 'string' || !/^\+?[0-9]+$/.test(phone) || phone.length > MAX_PHONE) {
    issues.push({
      field: `${field}.phone_number`,
      message: `PHONE_NUMBER button needs phone_number with digits only (optional leading +), at most ${MAX_PHONE} characters`,
    });
  }
}

function validateCopyCode(example: unknown, field: string, issues: TemplateValidationIssue[]): void {
  if (typeof example !== 'string' || example.trim() === '' || example.length > MAX_COPY_CODE) {
    const message = `COPY_CODE button needs an example code of 1 to ${MAX_COPY_CODE} characters`;
    issues.push({ field: `${field}.example`, message });
  }
}

function isSingleSample(example: unknown): boolean {
  return Array.isArray(example) && example.length === 1 && typeof example[0] === 'string' && example[0].trim() !== '';
}

function isParsableUrl(url: string): boolean {
  try {
    return new URL(url).hostname.length > 0;
  } catch {
    return false;
  }
}
