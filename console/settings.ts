/** Settings: the effective configuration, read-only, secrets redacted by the API (GET /settings), grouped by its first segment. */
import type Router from '@koa/router';
import { apiClient } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { renderConsole } from './page.js';
import { unwrap } from './respond.js';

export function registerSettings(router: Router, deps: ConsoleDeps): void {
  router.get('/console/settings', async (ctx) => {
    const settings = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/settings'), '/console');
    if (!settings) return;
    const groups = new Map<string, typeof settings.items>();
    for (const setting of settings.items) {
      const group = setting.name.includes('.') ? setting.name.slice(0, setting.name.indexOf('.')) : 'general';
      groups.set(group, [...(groups.get(group) ?? []), setting]);
    }
    renderConsole(ctx, deps, 'settings', { titleId: 'console.nav.settings', screen: 'settings', groups: [...groups].map(([name, items]) => ({ name, items })) });
  });
}
