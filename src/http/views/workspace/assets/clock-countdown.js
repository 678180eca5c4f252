/* global document, window */
// Candor legal clocks: ticks the server-rendered countdowns every second. Without this file
// the page shows the remaining time of the moment it was loaded.
(() => {
  'use strict';
  if (window.candorClockCountdown) return;
  window.candorClockCountdown = true;

  const duration = (ms, units) => {
    const [d, h, m, s] = units.split(',');
    let seconds = Math.floor(Math.abs(ms) / 1000);
    const days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (days > 0) return `${days} ${d} ${hours} ${h}`;
    if (hours > 0) return `${hours} ${h} ${minutes} ${m}`;
    if (minutes > 0) return `${minutes} ${m}`;
    return `${seconds} ${s}`;
  };

  const tick = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll('[data-clock-due]')) {
      const due = Date.parse(el.getAttribute('data-clock-due'));
      const start = Date.parse(el.getAttribute('data-clock-start'));
      if (Number.isNaN(due) || Number.isNaN(start)) continue;
      const left = due - now;
      const template = el.getAttribute(left >= 0 ? 'data-left' : 'data-over');
      el.textContent = template.replace('{t}', duration(left, el.getAttribute('data-units')));
      const item = el.closest('.legal-clock');
      if (!item) continue;
      const ratio = Math.max(0, (now - start) / Math.max(1, due - start));
      const bar = item.querySelector('[data-clock-progress]');
      if (bar) bar.value = Math.min(1000, Math.round(ratio * 1000));
      const badge = item.querySelector('[data-clock-state]');
      const state = left < 0 ? 'overdue' : ratio >= 0.9 ? 'due-soon' : 'running';
      if (!item.classList.contains(`legal-clock-${state}`)) {
        item.classList.remove('legal-clock-running', 'legal-clock-due-soon', 'legal-clock-overdue');
        item.classList.add(`legal-clock-${state}`);
        if (badge && state !== 'running') {
          badge.textContent = el.getAttribute(
            state === 'overdue' ? 'data-overdue-label' : 'data-due-soon-label',
          );
          badge.classList.remove('badge-info', 'badge-warn', 'badge-danger');
          badge.classList.add(state === 'overdue' ? 'badge-danger' : 'badge-warn');
        }
      }
    }
  };
  tick();
  window.setInterval(tick, 1000);
})();
