// Passkey ceremonies of the sign-in and account pages (no inline script: CSP script-src 'self').
// A form marked data-passkey fetches its options (a fresh server-side challenge) from
// data-options, runs the ceremony with @simplewebauthn/browser, puts the JSON response into its
// hidden "response" field and submits itself. The login form also offers passkeys in the
// username field's autofill (conditional UI) when the browser supports it.
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  function options(form, purpose) {
    var body = new URLSearchParams({ csrf: form.elements.csrf.value, for: purpose });
    return fetch(form.dataset.options, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('options ' + res.status);
      return res.json();
    });
  }

  function submitWith(form, response) {
    form.elements.response.value = JSON.stringify(response);
    form.dataset.sending = 'yes';
    form.submit();
  }

  function failed(form, error) {
    // The user closing the dialog is not an error worth a message; anything else is.
    if (error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) return;
    var message = form.querySelector('[data-passkey-error]');
    if (message) message.hidden = false;
  }

  function ceremony(form, kind, autofill) {
    var purpose = kind === 'mfa' ? 'mfa' : 'login';
    return options(form, purpose).then(function (json) {
      return kind === 'register'
        ? lib.startRegistration({ optionsJSON: json })
        : lib.startAuthentication({ optionsJSON: json, useBrowserAutofill: !!autofill });
    }).then(function (response) {
      submitWith(form, response);
    });
  }

  document.querySelectorAll('form[data-passkey]').forEach(function (form) {
    var kind = form.dataset.passkey;
    form.addEventListener('submit', function (event) {
      if (form.dataset.sending === 'yes') return;
      event.preventDefault();
      var nameField = document.getElementById('passkey-name');
      if (kind === 'register' && nameField && form.elements.name) form.elements.name.value = nameField.value;
      ceremony(form, kind, false).catch(function (error) { failed(form, error); });
    });
    if (kind === 'login' && lib.browserSupportsWebAuthnAutofill) {
      lib.browserSupportsWebAuthnAutofill().then(function (supported) {
        if (supported) return ceremony(form, 'login', true);
      }).catch(function () {
        // Autofill is an offer, never an error: the password form and the button still work.
      });
    }
  });
})();
