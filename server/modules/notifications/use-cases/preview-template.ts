/**
 * `templates preview <template> [--locale de] [--channel email|sms] [--data k=v ...]`: renders a
 * notification template exactly as delivery would and returns the text to print. The CLI only
 * hands over its arguments, so the command moves with the CLI's restructuring unchanged.
 */
import { AppError } from '../../../shared/errors.js';
import type { Channel } from '../domain/message.js';
import type { TemplateRenderer } from '../ports.js';

export interface PreviewRequest {
  template: string;
  channel: Channel | undefined;
  locale: string;
  data: Record<string, string>;
}

/**
 * The preview request from the CLI's already-parsed options (the dispatcher refuses unknown
 * options and missing values).
 * @throws AppError invalid_input for a channel other than email or sms, or data not key=value.
 */
export function previewRequest(options: { template: string; locale?: string | undefined; channel?: string | undefined; data: readonly string[] }): PreviewRequest {
  const { channel } = options;
  if (channel !== undefined && channel !== 'email' && channel !== 'sms') throw new AppError('invalid_input', `--channel must be email or sms, not ${channel}`);
  const data: Record<string, string> = {};
  for (const pair of options.data) {
    const at = pair.indexOf('=');
    if (at < 1) throw new AppError('invalid_input', `--data expects key=value, got ${pair}`);
    data[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { template: options.template, channel, locale: options.locale ?? 'en', data };
}

/** @returns the rendered message as printable text. @throws AppError invalid_input for an unknown template. */
export function previewTemplate(deps: { templates: TemplateRenderer }, request: PreviewRequest): string {
  const { templates } = deps;
  const channel = request.channel ?? (templates.has('email', request.template) ? 'email' : 'sms');
  if (!templates.has(channel, request.template)) {
    throw new AppError('invalid_input', `no ${request.channel ? `${channel} ` : 'email or SMS '}template named ${request.template}`);
  }
  if (channel === 'sms') {
    const { body } = templates.renderSms(request.template, request.locale, request.data);
    return `SMS (${body.length} characters)\n\n${body}\n`;
  }
  const email = templates.renderEmail(request.template, request.locale, request.data);
  return `Subject: ${email.subject}\n\n----- text/plain -----\n${email.text}\n----- text/html -----\n${email.html}\n`;
}
