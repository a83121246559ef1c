/**
 * Server-side rendering with Eta: templates in views/, output escaped by default (`<%= %>`);
 * raw output (`<%~ %>`) is used only for trusted partials and layout bodies.
 */
import { Eta } from 'eta';
import { viewsDir } from '../../config/paths.js';

export interface PageChrome {
  title: string;
  /** Sources allowed in form-action besides 'self' (e.g. the client's redirect origins). */
  formTargets?: string[];
}

export interface Renderer {
  render(template: string, data: Record<string, unknown> & PageChrome): string;
}

export function createRenderer(options: { cache: boolean; productName: string }): Renderer {
  const eta = new Eta({ views: viewsDir, cache: options.cache, autoEscape: true, autoTrim: false });
  return {
    render(template, data) {
      return eta.render(template, { productName: options.productName, ...data });
    },
  };
}
