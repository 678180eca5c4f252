import { randomBytes } from 'node:crypto';
import type { EmailTransport } from '../../channels/email/email-transport.js';
import { buildRawMessage } from '../../channels/email/mime.js';
import { CLOCK_ARTICLES, type LegalClock } from '../../domain/assessment/legal-clocks.js';
import { CLOCK_LABELS, formatRemaining } from '../../domain/assessment/clock-labels.js';
import type { Locale } from '../../domain/assessment/enisa-severity.js';
import * as alerts from '../../store/clock-alert.repository.js';
import type { AlertRecipient } from '../../store/clock-alert.repository.js';
import type { Database } from '../../store/database.js';
import { clocksOfCases, type CaseClocks } from './legal-clock.service.js';
import { getOrganisation } from '../access/settings.service.js';
import type { Organisation } from '../../domain/organisation.js';

/** A background round running longer than this is taken as hung (readiness fails). */

// Email alerts to the case team when a legal clock reaches 50 %, 90 % and its deadline.
// Each alert is sent once: a row with a unique key (case, clock, threshold, due time, user)
// is inserted before sending, so two processes running this loop never both send it. A
// failed send deletes its row and a later tick retries. When a process starts late and
// several thresholds have passed, only the highest is sent; the lower ones are recorded as
// skipped so they never arrive out of order.

/** A claim still "sending" after this long belonged to a process that died. */
const STALE_CLAIM_MS = 10 * 60_000;

export const ALERT_THRESHOLDS = ['50', '90', 'overdue'] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];

/** The thresholds a clock has reached, lowest first (none once it is done). */
export function reachedThresholds(clock: LegalClock): AlertThreshold[] {
  if (clock.state === 'done') return [];
  const out: AlertThreshold[] = [];
  if (clock.elapsedRatio >= 0.5) out.push('50');
  if (clock.elapsedRatio >= 0.9) out.push('90');
  if (clock.state === 'overdue') out.push('overdue');
  return out;
}

export interface ClockAlertDeps {
  database: Database;
  transport: EmailTransport;
  /** Base URL of the workspace links in the mails. */
  publicUrl: string;
}

export interface AlertRun {
  sent: number;
  skipped: number;
  failed: number;
}

/** One pass: every running clock of every open case, every member of the case team. */
export async function runClockAlerts(deps: ClockAlertDeps, now: Date): Promise<AlertRun> {
  const db = deps.database.db;
  const run: AlertRun = { sent: 0, skipped: 0, failed: 0 };
  // A process that died between claiming and sending leaves a claim behind: give it back.
  await alerts.releaseStaleClaims(db, new Date(now.getTime() - STALE_CLAIM_MS).toISOString());
  const team = await alerts.listCaseTeam(db);
  if (team.length === 0) return run;
  const cases = await alerts.listCasesWithRunningClocks(db);
  if (cases.length === 0) return run;
  const organisation = await getOrganisation({ database: deps.database });
  for (const c of await clocksOfCases(db, cases, now)) {
    for (const clock of c.clocks) {
      const reached = reachedThresholds(clock);
      if (reached.length === 0) continue;
      const top = reached.at(-1)!;
      for (const user of team) {
        for (const threshold of reached) {
          const claimed = await alerts.claimAlert(db, {
            alert_key: `${c.caseId}:${clock.kind}:${threshold}:${clock.dueAt}:${user.userId}`,
            case_id: c.caseId,
            clock_kind: clock.kind,
            threshold,
            due_at: clock.dueAt,
            user_id: user.userId,
            email: user.email,
            status: threshold === top ? 'sending' : 'skipped',
            claimed_at: now.toISOString(),
          });
          if (claimed === undefined) continue;
          if (threshold !== top) {
            run.skipped++;
            continue;
          }
          if (await sendAlert(deps, organisation, c, clock, threshold, user, claimed, now))
            run.sent++;
          else {
            await alerts.releaseAlert(db, claimed);
            run.failed++;
          }
        }
      }
    }
  }
  return run;
}

/** Renders and sends one alert; false when the relay did not accept it (or rendering failed). */
async function sendAlert(
  deps: ClockAlertDeps,
  organisation: Organisation,
  c: CaseClocks,
  clock: LegalClock,
  threshold: AlertThreshold,
  user: AlertRecipient,
  alertId: number,
  now: Date,
): Promise<boolean> {
  try {
    const messageId = `clock-${alertId}.${randomBytes(6).toString('hex')}@${domainOf(organisation.senderEmail)}`;
    const raw = buildRawMessage({
      from: {
        name: organisation.senderName || organisation.name,
        address: organisation.senderEmail,
      },
      to: { name: user.displayName, address: user.email },
      messageId,
      date: now,
      ...alertMessage(c, clock, threshold, user, deps.publicUrl),
      headers: { 'X-Candor-Clock': `${c.reference} ${clock.kind} ${threshold}` },
    });
    const outcome = await deps.transport.send({
      from: organisation.senderEmail,
      to: user.email,
      raw,
    });
    if (outcome.kind !== 'accepted') return false;
    await alerts.markAlertSent(
      deps.database.db,
      alertId,
      new Date().toISOString(),
      `<${messageId}>`,
    );
    return true;
  } catch {
    return false;
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'candor.invalid';
}

function formatInstant(iso: string, user: AlertRecipient, locale: Locale): string {
  const timeZone = user.timeZone ?? 'Europe/Amsterdam';
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** Subject, text and HTML of one alert, in the user's language. */
export function alertMessage(
  c: Pick<CaseClocks, 'reference' | 'title' | 'awareAt'>,
  clock: LegalClock,
  threshold: AlertThreshold,
  user: AlertRecipient,
  publicUrl: string,
): { subject: string; text: string; html: string } {
  const locale: Locale = user.language === 'nl' ? 'nl' : 'en';
  const nl = locale === 'nl';
  const label = CLOCK_LABELS[clock.kind][locale];
  const left = formatRemaining(clock.remainingMs, locale);
  const state =
    threshold === 'overdue'
      ? nl
        ? `VERLOPEN, sinds ${left}`
        : `OVERDUE by ${left}`
      : nl
        ? `${threshold} % van de termijn verstreken, nog ${left}`
        : `${threshold} % of the time elapsed, ${left} left`;
  const subject = `[Candor] ${c.reference}: ${label} — ${state}`;
  const link = `${publicUrl.replace(/\/$/, '')}/app/cases/${encodeURIComponent(c.reference)}/assessment`;
  const lines = [
    `${nl ? 'Zaak' : 'Case'} ${c.reference}: ${c.title}`,
    `${label} (${CLOCK_ARTICLES[clock.kind]})`,
    `${nl ? 'Bekend sinds' : 'Aware since'}: ${c.awareAt ? formatInstant(c.awareAt, user, locale) : '—'}`,
    `${nl ? 'Uiterlijk' : 'Due'}: ${formatInstant(clock.dueAt, user, locale)} (${state})`,
    threshold === 'overdue' && clock.kind === 'gdpr-art33'
      ? nl
        ? 'Een melding na 72 uur moet de redenen voor de vertraging vermelden (AVG art. 33 lid 1).'
        : 'A notification after 72 hours must give the reasons for the delay (GDPR Art. 33(1)).'
      : '',
    '',
    `${nl ? 'Open de zaak' : 'Open the case'}: ${link}`,
    '',
    nl
      ? 'U ontvangt dit als lid van het zaakteam (rol responder of approver, met e-mailadres).'
      : 'You receive this as a member of the case team (responder or approver role, with an email address).',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
  const html = `<!doctype html><html lang="${locale}"><body>${lines
    .map((l) =>
      l === link || l.endsWith(link)
        ? `<p>${escapeHtml(l.slice(0, l.length - link.length))}<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`
        : l
          ? `<p>${escapeHtml(l)}</p>`
          : '',
    )
    .join('')}</body></html>`;
  return { subject, text: `${lines.join('\n')}\n`, html };
}
