// Candor workspace: progressive enhancement only; every flow works without this file.
// Loaded as an external script (the CSP allows no inline script), after the document.
/* global document, window, HTMLSelectElement, HTMLElement */
(() => {
  'use strict';
  // Buttons that ask first: <button data-confirm="Really?">. Without JS the action just runs.
  document.addEventListener('submit', (event) => {
    const submitter = event.submitter;
    const question =
      submitter?.getAttribute('data-confirm') ?? event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // Selects that apply at once: <select data-autosubmit>. Without JS there is a submit button.
  document.addEventListener('change', (event) => {
    const el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit'))
      el.form?.requestSubmit();
  });
  // Elements marked data-autosubmit-hide are the buttons that JS makes unnecessary.
  for (const el of document.querySelectorAll('[data-autosubmit-hide]')) el.hidden = true;
  // htmx requests that change something carry the session's CSRF token as a header.
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
  document.addEventListener('htmx:configRequest', (event) => {
    if (csrf && event.detail.verb !== 'get') event.detail.headers['x-csrf-token'] = csrf;
  });
  // Flash messages move focus to themselves once so screen readers announce the outcome.
  const flash = document.querySelector('.flash[tabindex="-1"]');
  if (flash instanceof HTMLElement) flash.focus();
})();
