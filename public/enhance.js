/*
 * Progressive enhancement for the sign-in and account pages; every page works without it.
 * - Show-password toggle after each input[type=password] marked data-reveal.
 * - Copy and print buttons for elements marked data-copy="<id of the text>" / data-print
 *   (hidden in the markup, shown only here, since they need script).
 * Loaded from /assets (script-src 'self'); no inline script anywhere.
 */
(function () {
  'use strict';
  function label(el, name) { return el.getAttribute('data-' + name) || ''; }

  document.querySelectorAll('input[type=password][data-reveal]').forEach(function (input) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'reveal';
    button.textContent = label(input, 'reveal');
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', input.id);
    button.addEventListener('click', function () {
      var shown = input.type === 'text';
      input.type = shown ? 'password' : 'text';
      button.setAttribute('aria-pressed', shown ? 'false' : 'true');
      button.textContent = label(input, shown ? 'reveal' : 'conceal');
    });
    var wrap = document.createElement('div');
    wrap.className = 'with-reveal';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
  });

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    var status = document.getElementById(button.getAttribute('aria-describedby') || '');
    button.addEventListener('click', function () {
      var text = source.getAttribute('data-text') || source.textContent.trim();
      navigator.clipboard.writeText(text).then(function () {
        if (status) status.textContent = label(button, 'copied');
      });
    });
  });

  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
