// Starts Swagger UI on /admin/v1/docs (server/http/routes/api-docs.ts): a file, not inline, for the strict CSP.
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('api-docs');
  if (!root || typeof window.SwaggerUIBundle !== 'function') return;
  root.textContent = '';
  window.SwaggerUIBundle({ url: root.getAttribute('data-spec'), domNode: root, deepLinking: true, tryItOutEnabled: false });
});
