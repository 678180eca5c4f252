/*
 * Candor notice banner for the provider's own customer portal.
 *
 * Renders the answer of GET /api/v1/customers/{external_id}/notices, which the portal's
 * BACKEND fetches with a `portal`-scoped token (never from the browser: the token must not
 * reach customers) and embeds in the page as
 *
 *   <div id="candor-banner"></div>
 *   <script type="application/json" id="candor-notices">{ ...the JSON, with "<" escaped as \u003c... }</script>
 *   <script src="/assets/candor-banner.js" defer></script>
 *
 * Host this file on the portal's own origin: no dependencies, no network requests, no
 * third-party origin, no inline script (works under a strict CSP), text only (never
 * innerHTML), and links only to http(s) addresses.
 */
/* global document */
(function () {
  'use strict';
  var data = document.getElementById('candor-notices');
  var host = document.getElementById('candor-banner');
  if (!data || !host) return;
  var notices;
  try {
    notices = JSON.parse(data.textContent || '{}').notices || [];
  } catch {
    return;
  }
  var TEXTS = {
    nl: {
      label: 'Beveiligingsbericht',
      intro:
        'Wij hebben u een belangrijk bericht gestuurd. Lees wat er is gebeurd en wat u moet doen.',
      read: 'Lees het bericht',
      code: 'Controlecode in de e-mail: ',
    },
    en: {
      label: 'Security notice',
      intro: 'We sent you an important notice. Read what happened and what you should do.',
      read: 'Read the notice',
      code: 'Check code in the email: ',
    },
  };
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  notices.forEach(function (n) {
    if (!n || !n.open || !/^https?:\/\//.test(String(n.personalPageUrl))) return;
    var t = TEXTS[n.language] || TEXTS.en;
    var box = el('section', 'candor-banner');
    box.setAttribute('aria-label', t.label);
    box.setAttribute('lang', n.language === 'nl' ? 'nl' : 'en');
    box.appendChild(el('strong', 'candor-banner-title', String(n.title)));
    box.appendChild(el('p', 'candor-banner-intro', t.intro));
    var link = el('a', 'candor-banner-link', t.read);
    link.href = n.personalPageUrl;
    box.appendChild(link);
    if (n.referenceCode) box.appendChild(el('p', 'candor-banner-code', t.code + n.referenceCode));
    host.appendChild(box);
  });
})();
