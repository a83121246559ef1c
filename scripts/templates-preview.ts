/** `templates preview`: builds the notification template renderer and prints one rendered message. */
import { notificationTemplates } from '../server/wiring/commands.js';
import { previewTemplate, type PreviewRequest } from '../server/modules/notifications/index.js';

/** @throws AppError invalid_input for an unknown template. */
export function runTemplatesPreview(request: PreviewRequest, productName: string): void {
  process.stdout.write(previewTemplate({ templates: notificationTemplates(productName) }, request));
}
