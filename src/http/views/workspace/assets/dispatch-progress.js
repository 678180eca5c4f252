/* global document, EventSource, DOMParser */
// Candor dispatch tab: live progress through server-sent events. Without this file the page
// shows the numbers of the moment it was loaded and a refresh link.
(() => {
  'use strict';
  const panel = document.querySelector('[data-progress-stream]');
  if (!panel || typeof EventSource !== 'function') return;
  const source = new EventSource(panel.getAttribute('data-progress-stream'));
  const bar = panel.querySelector('progress');
  // The same classes as the server's badge for each dispatch state.
  const BADGES = {
    preparing: 'badge-info',
    running: 'badge-info',
    paused: 'badge-warn',
    cancelled: 'badge-danger',
    completed: 'badge-ok',
  };
  const update = (data) => {
    if (bar) {
      bar.max = Math.max(1, data.total);
      bar.value = Math.min(data.done, bar.max);
    }
    // The server formats every number in the user's language; we only place the texts.
    for (const [key, text] of Object.entries(data.text)) {
      for (const el of panel.querySelectorAll(`[data-progress="${key}"]`)) el.textContent = text;
    }
    panel.setAttribute('data-state', data.state);
    const badge = panel.querySelector('.badge[data-progress="state"]');
    if (badge) badge.className = `badge ${BADGES[data.state] || ''}`;
  };
  source.addEventListener('progress', (event) => update(JSON.parse(event.data)));
  // The finished view (no pause/cancel, how long it took, the delivery chart drawn) is the
  // server's: fetch the page again and swap in its dispatch tab and recall tracker. If that
  // fails, the "finished — reload" note stays as the way there.
  const showFinished = async () => {
    const url = panel.getAttribute('data-finished-url');
    const fallback = () => {
      const done = panel.querySelector('[data-progress-finished]');
      if (done) done.hidden = false;
    };
    if (!url || typeof fetch !== 'function' || typeof DOMParser !== 'function') return fallback();
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      });
      if (!response.ok) return fallback();
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      const tab = fresh.querySelector('.dispatch-tab');
      const current = document.querySelector('.dispatch-tab');
      if (!tab || !current || tab.querySelector('[data-progress-stream]')) return fallback();
      for (const selector of ['.recall-tracker', '.dispatch-tab']) {
        const next = fresh.querySelector(selector);
        const old = document.querySelector(selector);
        if (next && old) old.replaceWith(document.importNode(next, true));
      }
      const status = document.querySelector('[data-dispatch-done]');
      if (status) status.setAttribute('tabindex', '-1');
      if (status) status.focus();
    } catch {
      fallback();
    }
  };
  // The stream ends when the dispatch is finished; close, or EventSource would reconnect.
  source.addEventListener('end', (event) => {
    update(JSON.parse(event.data));
    source.close();
    void showFinished();
  });
})();
