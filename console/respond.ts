/** What every screen does with a refused API call: 401 → sign in again; otherwise a message page with the API's status. */
import type { Context } from 'koa';
import { problemMessageId, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { renderConsoleMessage } from './page.js';
import { safeReturn } from './session.js';

export function refused(ctx: Context, deps: ConsoleDeps, problem: Problem, back: string): void {
  if (problem.status === 401) {
    ctx.redirect(`/console/login?${new URLSearchParams({ return: safeReturn(back) })}`);
    return;
  }
  ctx.status = problem.status >= 400 && problem.status < 600 ? problem.status : 502;
  renderConsoleMessage(ctx, deps, {
    titleId: 'console.refusedTitle',
    textId: problemMessageId(problem),
    values: { detail: problem.detail ?? problem.title },
    link: { href: back, labelId: problem.status === 412 ? 'console.reload' : 'console.back' },
  });
}

/** A call's outcome: its data, or the page already answered with the refusal (undefined). */
export function unwrap<T>(ctx: Context, deps: ConsoleDeps, result: { data?: T; error?: unknown; response: Response }, back: string): T | undefined {
  if (result.response.ok) return result.data as T;
  refused(ctx, deps, problemOf(result.response, result.error), back);
  return undefined;
}
