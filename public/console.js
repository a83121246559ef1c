// The console's only script (progressive enhancement; every page works without it): a copy
// button next to a secret shown once. Loaded from 'self' under the strict CSP, no inline code.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy') || '');
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent || '').then(() => {
    button.textContent = button.getAttribute('data-copied') || 'Copied';
  });
});
for (const button of document.querySelectorAll('button[data-copy]')) button.hidden = false;
