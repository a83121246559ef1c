// Starts Swagger UI on /admin/v1/docs (server/http/routes/api-docs.ts): a file, not inline, for the strict CSP.
// Configured for WCAG 2.2 AA (axe 0 violations, tests/browser/console/api-docs.test.ts):
// - deepLinking off: with it, each operation's summary button holds a link (an interactive
//   element inside another, and a 19 px target); the operations are still reached by keyboard.
// - syntax highlighting off: its themes colour JSON through inline styles, some below 4.5:1 on
//   their dark background, which no stylesheet can override; plain text is 12:1 (api-docs.css).
// - form controls Swagger UI renders without a name (the server select, a parameter's select,
//   the request body editor) get one as they appear: a MutationObserver sees each render before
//   it is painted, so no control is ever shown unnamed and nothing waits on a timer.
'use strict';

/** The accessible name a control would otherwise lack, from what Swagger UI renders around it. */
function nameOf(control) {
  if (control.id === 'servers') return 'Server';
  if (control.classList.contains('body-param__text')) return 'Request body';
  const row = control.closest('tr[data-param-name]');
  if (row) return `${row.getAttribute('data-param-name')} (${row.getAttribute('data-param-in') || 'parameter'})`;
  return undefined;
}

function hasName(control) {
  if (control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') || control.getAttribute('title')) return true;
  if (control.tagName === 'INPUT' && control.getAttribute('placeholder')) return true;
  return Array.from(control.labels || []).some((label) => textOutsideControls(label) !== '');
}

/** A label's own text: a label wrapping a select would otherwise count the select's options. */
function textOutsideControls(label) {
  const copy = label.cloneNode(true);
  for (const control of copy.querySelectorAll('select, textarea')) control.remove();
  return copy.textContent.trim();
}

function nameControls(root) {
  for (const control of root.querySelectorAll('select, textarea, input:not([type=hidden])')) {
    if (hasName(control)) continue;
    const name = nameOf(control);
    if (name) control.setAttribute('aria-label', name);
  }
}

window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('api-docs');
  if (!root || typeof window.SwaggerUIBundle !== 'function') return;
  root.textContent = '';
  // Only child lists are watched: setting a name (an attribute) does not wake the observer again.
  new MutationObserver(() => nameControls(root)).observe(root, { childList: true, subtree: true });
  window.SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    domNode: root,
    deepLinking: false,
    syntaxHighlight: { activated: false },
    tryItOutEnabled: false,
  });
});
