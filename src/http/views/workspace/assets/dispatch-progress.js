/* global document, EventSource */
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
  // The stream ends when the dispatch is finished; close, or EventSource would reconnect.
  source.addEventListener('end', (event) => {
    update(JSON.parse(event.data));
    source.close();
    const done = panel.querySelector('[data-progress-finished]');
    if (done) done.hidden = false;
  });
})();
