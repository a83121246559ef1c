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

export const PREVIEW_USAGE = 'templates preview <template> [--locale de] [--channel email|sms] [--data key=value ...]';

/** @throws AppError invalid_input naming the argument that is wrong. */
export function parsePreviewArgs(args: readonly string[]): PreviewRequest {
  const request: PreviewRequest = { template: '', channel: undefined, locale: 'en', data: {} };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const value = () => {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new AppError('invalid_input', `${arg} needs a value (usage: ${PREVIEW_USAGE})`);
      i += 1;
      return next;
    };
    if (arg === '--locale') request.locale = value();
    else if (arg === '--channel') {
      const channel = value();
      if (channel !== 'email' && channel !== 'sms') throw new AppError('invalid_input', `--channel must be email or sms, not ${channel}`);
      request.channel = channel;
    } else if (arg === '--data') {
      const pair = value();
      const at = pair.indexOf('=');
      if (at < 1) throw new AppError('invalid_input', `--data expects key=value, got ${pair}`);
      request.data[pair.slice(0, at)] = pair.slice(at + 1);
    } else if (arg.startsWith('--')) throw new AppError('invalid_input', `unknown option ${arg} (usage: ${PREVIEW_USAGE})`);
    else if (!request.template) request.template = arg;
    else throw new AppError('invalid_input', `unexpected argument ${arg} (usage: ${PREVIEW_USAGE})`);
  }
  if (!request.template) throw new AppError('invalid_input', `name a template (usage: ${PREVIEW_USAGE})`);
  return request;
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
