import { chromium } from 'playwright-core';
import fs from 'node:fs';
const base = 'http://127.0.0.1:8090';
const creds = JSON.parse(fs.readFileSync('/tmp/demo1/demo-credentials.json', 'utf8')).users;
const pw = (u) => creds.find((c) => c.username === u).password;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
async function login(ctx, user) {
  const page = await ctx.newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', pw(user));
  await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
  return page;
}
const desk = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
const joost = await login(desk, 'joost');
await joost.goto(`${base}/app/cases/ADV-2026-0001/notices`);
await joost.waitForTimeout(1500);
await joost.screenshot({ path: '/tmp/shots/notices-joost.png', fullPage: true });
const fatimaCtx = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
const fatima = await login(fatimaCtx, 'fatima');
await fatima.goto(`${base}/app/cases/ADV-2026-0001/notices`);
await fatima.waitForTimeout(1500);
await fatima.screenshot({ path: '/tmp/shots/notices-fatima.png', fullPage: true });
// mailbox: find a personal link
const sanne = await login(await browser.newContext({ viewport: { width: 1400, height: 1100 } }), 'sanne');
await sanne.goto(`${base}/app/mailbox`);
const html = await sanne.content();
fs.writeFileSync('/tmp/shots/mailbox.html', html);
const links = [...html.matchAll(/\/app\/mailbox\/[^"#?]+/g)].map((m) => m[0]);
console.log('mail links', links.slice(0, 3));
if (links[0]) {
  await sanne.goto(base + links[0]);
  const mhtml = await sanne.content();
  fs.writeFileSync('/tmp/shots/mail.html', mhtml);
  const n = mhtml.match(/http:\/\/localhost:8090\/n\/[A-Za-z0-9_-]+/);
  console.log('personal', n?.[0]);
  const code = mhtml.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  console.log('code', code?.[0]);
  await sanne.screenshot({ path: '/tmp/shots/mailbox-mail.png', fullPage: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await phone.newPage();
  if (n) {
    await p.goto(n[0].replace('localhost', '127.0.0.1'));
    await p.screenshot({ path: '/tmp/shots/personal-phone.png' });
    await p.screenshot({ path: '/tmp/shots/personal-phone-full.png', fullPage: true });
  }
  if (code) {
    await p.goto(`${base}/en/security/verify`);
    await p.fill('input[name="code"]', code[0]);
    await Promise.all([p.waitForLoadState('load'), p.click('main button[type="submit"]')]);
    await p.screenshot({ path: '/tmp/shots/verify.png', fullPage: true });
  }
}
await browser.close();
