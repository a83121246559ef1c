/** Notification template commands: `templates preview`. */
import { previewRequest } from '../../server/modules/notifications/index.js';
import { AppError } from '../../server/shared/errors.js';
import { runTemplatesPreview } from '../templates-preview.js';
import { fullConfig } from './context.js';
import { listOption, stringOption, UsageError, type Command } from './command.js';

export const templatesCommands: Command[] = [
  {
    name: 'templates preview',
    summary: 'print a notification template rendered as it would be sent',
    usage: '<template> [--locale de] [--channel email|sms] [--data key=value]…',
    details: 'Needs no database. Each --data fills one template variable; missing variables render empty.',
    options: { locale: { type: 'string' }, channel: { type: 'string' }, data: { type: 'string', multiple: true } },
    positionals: { min: 1, max: 1 },
    async run(args) {
      try {
        const request = previewRequest({
          template: args.positionals[0]!,
          locale: stringOption(args, 'locale'),
          channel: stringOption(args, 'channel'),
          data: listOption(args, 'data'),
        });
        runTemplatesPreview(request, fullConfig().brandName);
      } catch (error) {
        // A wrong option value or template name is a usage mistake (exit 2), not a failure.
        if (error instanceof AppError && error.code === 'invalid_input') throw new UsageError(error.message);
        throw error;
      }
    },
  },
];
