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
  // Notice editor: a chip button inserts its placeholder where the cursor was in the text field
  // last used (a condition chip wraps the cursor in its block). Without JS the list is a key.
  let lastField = null;
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    if (el instanceof HTMLElement && el.closest('.notice-language') && 'setRangeText' in el)
      lastField = el;
  });
  document.addEventListener('click', (event) => {
    const button = event.target instanceof HTMLElement && event.target.closest('button[data-chip]');
    if (!button) return;
    const field = lastField ?? document.querySelector('.notice-language textarea');
    if (!field) return;
    const chip = button.getAttribute('data-chip');
    const end = button.getAttribute('data-chip-end') ?? '';
    const from = field.selectionStart ?? field.value.length;
    const to = field.selectionEnd ?? from;
    field.setRangeText(chip + field.value.slice(from, to) + end, from, to, 'end');
    if (end)
      field.setSelectionRange(field.selectionEnd - end.length, field.selectionEnd - end.length);
    field.focus();
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // The HTML preview frame follows the draft: after a pause in typing, the form posts the draft
  // into the sandboxed frame (the same request the "show preview" button makes without JS).
  const liveForm = document.querySelector('form[data-live-frame]');
  const frameButton = liveForm?.querySelector('[data-frame-submit]');
  if (liveForm && frameButton) {
    let timer;
    const refresh = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => liveForm.requestSubmit(frameButton), 500);
    };
    liveForm.addEventListener('input', refresh);
    liveForm.addEventListener('change', refresh);
  }
  // Flash messages move focus to themselves once so screen readers announce the outcome.
  const flash = document.querySelector('.flash[tabindex="-1"]');
  if (flash instanceof HTMLElement) flash.focus();
})();
