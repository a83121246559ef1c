/** `templates preview`: builds the notification template renderer and prints one rendered message. */
import { createNotificationTemplates } from '../adapters/templates/notification-templates.js';
import { createTranslations } from '../adapters/i18n/i18next-translations.js';
import { previewTemplate, type PreviewRequest } from '../server/modules/notifications/index.js';

/** @throws AppError invalid_input for an unknown template. */
export function runTemplatesPreview(request: PreviewRequest): void {
  const translations = createTranslations();
  const templates = createNotificationTemplates({ cache: false, translator: (locale) => translations.translator(locale), productName: 'Sign in' });
  process.stdout.write(previewTemplate({ templates }, request));
}
