/** `templates preview`: builds the notification template renderer and prints one rendered message. */
import { createNotificationTemplates } from '../adapters/templates/notification-templates.js';
import { createTranslations } from '../server/http/i18n.js';
import { parsePreviewArgs, previewTemplate } from '../server/modules/notifications/index.js';

/** @param args the words after `templates preview`. @throws AppError invalid_input */
export function runTemplatesPreview(args: readonly string[]): void {
  const translations = createTranslations();
  const templates = createNotificationTemplates({ cache: false, translator: (locale) => translations.translator(locale), productName: 'Sign in' });
  process.stdout.write(previewTemplate({ templates }, parsePreviewArgs(args)));
}
