/**
 * What `phone-guard check` prints: one JSON object (`--json`), or aligned text rows. The
 * add-on signals (`decision.reassignment`, `decision.simSwap`) are read defensively: a
 * guard that does not report them prints nothing for them.
 */
import type { Decision, LiveStatus, NormalizedPhone } from '@phone-guard/core';
import type { ExitCode } from './exit-codes.js';

/** The presets `check` can decide with. */
export type PresetName = 'signup' | 'passwordReset';

/** What one run of `check` found out. */
export interface CheckReport {
  exitCode: ExitCode;
  phone?: NormalizedPhone | null | undefined;
  decidedBy?: PresetName | null | undefined;
  /** The deciding preset's decision (and the other preset's, when it cost nothing). */
  decisions?: Partial<Record<PresetName, Decision>> | undefined;
  error?: { code: string; message: string } | null | undefined;
}

/** The add-on signals a decision may carry (read without trusting their shape). */
function signal(decision: Decision | undefined, key: 'reassignment' | 'simSwap'): unknown {
  const value = (decision as Record<string, unknown> | undefined)?.[key];
  return value === undefined ? null : value;
}

/**
 * The JSON printed with `--json`: always one object, whatever happened. `ok` is true
 * when a decision was reached (exit 0 or 1); `result` names the outcome (`allowed`,
 * `flagged`, `blocked`, `invalid`, `usage-error`, `lookup-failed`). Usage errors carry
 * `error.code` `USAGE`, or the configuration error's own code (`PG_INVALID_OPTION` …).
 */
export function jsonReport(report: CheckReport): string {
  const deciding = report.decidedBy ? report.decisions?.[report.decidedBy] : undefined;
  const result = {
    0: 'allowed',
    1: deciding?.action === 'flag' ? 'flagged' : 'blocked',
    // An invalid number carries its normalize code (PHONE_…); anything else is usage.
    2: report.error?.code.startsWith('PHONE_') ? 'invalid' : 'usage-error',
    3: 'lookup-failed',
  }[report.exitCode];
  return `${JSON.stringify(
    {
      ok: report.exitCode === 0 || report.exitCode === 1,
      exitCode: report.exitCode,
      result,
      phone: report.phone ?? null,
      decidedBy: report.decidedBy ?? null,
      action: deciding?.action ?? null,
      reasons: deciding?.reasons ?? [],
      status: deciding?.status ?? null,
      reassignment: signal(deciding, 'reassignment'),
      simSwap: signal(deciding, 'simSwap'),
      decisions: report.decisions ?? {},
      error: report.error ?? null,
    },
    null,
    2,
  )}\n`;
}

/** A date as the add-on records give it (epoch ms, Date or ISO string), shown in UTC. */
function when(value: unknown, withTime: boolean): string | null {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}

function reassignmentText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (typeof r['verdict'] !== 'string') return null;
  const details: string[] = [];
  if ('lastDeactivatedAt' in r) {
    const last = when(r['lastDeactivatedAt'], false);
    details.push(last ? `last deactivated ${last}` : 'never deactivated');
  }
  const tracking = when(r['trackingSince'], false);
  if (tracking) details.push(`tracked since ${tracking}`);
  return `${r['verdict']}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function simSwapText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Record<string, unknown>;
  const risk = s['risk'];
  if (typeof risk !== 'number' && typeof risk !== 'string') return null;
  const at = when(s['swappedAt'], true);
  return `risk ${risk}${at ? ` (swapped ${at})` : ' (no swap on record)'}`;
}

/** The text printed without `--json` when a decision was reached. */
export function textReport(
  phone: NormalizedPhone,
  status: LiveStatus | null,
  decisions: Partial<Record<PresetName, Decision>>,
  preset: PresetName,
): string {
  const row = (label: string, value: string) => `${label.padEnd(16)}${value}\n`;
  const lines = [
    row('Number', `${phone.e164} (${[phone.country, phone.type].filter(Boolean).join(', ')})`),
  ];
  if (status) {
    const roaming =
      status.roaming === 'YES' && status.roamingCountry
        ? `YES (${status.roamingCountry}${status.roamingCountryIso2 ? `, ${status.roamingCountryIso2}` : ''})`
        : status.roaming;
    lines.push(
      row('Subscriber', status.subscriberStatus),
      row('Device', status.deviceStatus),
      row('Roaming', roaming),
      row(
        'Phone type',
        status.phoneType ? `${status.phoneType.description} (${status.phoneType.code})` : '-',
      ),
      row('Carrier', status.carrier ?? '-'),
      row('Reference', status.referenceId ?? '-'),
    );
  }
  const deciding = decisions[preset];
  const reassignment = reassignmentText(signal(deciding, 'reassignment'));
  if (reassignment) lines.push(row('Reassignment', reassignment));
  const simSwap = simSwapText(signal(deciding, 'simSwap'));
  if (simSwap) lines.push(row('SIM swap', simSwap));
  lines.push('\n');
  for (const name of ['signup', 'passwordReset'] as const) {
    const d = decisions[name];
    if (d === undefined) {
      lines.push(row(name, '-     not run (it asks for billed add-ons: --preset passwordReset)'));
      continue;
    }
    const mark = name === preset ? '  <- exit code' : '';
    lines.push(
      row(name, `${d.action.padEnd(6)}${d.reasons.length ? d.reasons.join(', ') : '-'}${mark}`),
    );
  }
  return lines.join('');
}
