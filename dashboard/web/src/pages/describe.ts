// Marks on the chart in words: what changed, from what to what, and who asked for it.
import type { AuditEntry } from '../api.js';
import type { Marker } from '../components/chart.js';
import { formats } from '../format.js';
import { t } from '../prefs.js';

/** Anything the chart can mark: a history event (FermenterEvent), an incident, or an audit entry (kind 'audit'). */
export interface Mark {
  at: number;
  kind: string;
  [key: string]: unknown;
}

/**
 * Audit entries carry the server's wall time, the chart the bridge's clock (which runs faster in an
 * accelerated simulation): clockOffsetMs (bridge − wall, from the latest state) puts them on the chart's axis.
 */
export function auditMark(a: AuditEntry, clockOffsetMs: number): Mark {
  return { ...a, kind: 'audit', at: a.at + clockOffsetMs };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function commandText(command: Record<string, unknown>): string {
  const m = t.value;
  const fmt = formats.value;
  if (typeof command.mode === 'string')
    return `${m.mode}${m.colon}${m.modes[command.mode as 'off'] ?? command.mode}`;
  if ('beerSetpointC' in command) return `${m.beerSetpoint}${m.colon}${fmt.temp(num(command.beerSetpointC))}`;
  if ('chamberSetpointC' in command)
    return `${m.chamberSetpoint}${m.colon}${fmt.temp(num(command.chamberSetpointC))}`;
  if (command.profile === 'start')
    return typeof command.fromStep === 'number' ? m.profile.startedAt(command.fromStep + 1) : m.profile.start;
  if (command.profile === 'stop') return m.detail.stopProfile;
  if (command.profile === 'skip') return m.profile.skipped;
  if (command.profile === 'hold') return m.profile.heldStep;
  if (command.profile === 'resume') return m.profile.resumed;
  if (typeof command.extendStepH === 'number')
    return m.profile.extended(fmt.span(command.extendStepH * 3600));
  if (Array.isArray(command.nextSteps)) return m.profile.nextEdited(command.nextSteps.length);
  if (command.clearTrip === true) return m.clear.confirm;
  if (typeof command.acknowledge === 'string') return `${m.alerts.ack}${m.colon}${String(command.alert)}`;
  return JSON.stringify(command);
}

export function describe(e: Mark): Marker {
  const m = t.value;
  const fmt = formats.value;
  let text: string;
  switch (e.kind) {
    case 'incident':
      text = `${String(e.code ?? '')} — ${String(e.message ?? '')}`;
      break;
    case 'mode': {
      const name = (v: unknown) => (typeof v === 'string' ? (m.modes[v as 'off'] ?? v) : '—');
      text = `${name(e.from)} → ${name(e.to)}`;
      break;
    }
    case 'setpoint': {
      const label = e.field === 'chamberSetpointC' ? m.chamberSetpoint : m.beerSetpoint;
      text = `${label}${m.colon}${fmt.temp(num(e.from))} → ${fmt.temp(num(e.to))}`;
      break;
    }
    case 'profile-step': {
      const step = (v: unknown) => (typeof v === 'number' ? m.profile.step(v + 1) : '—');
      text = `${step(e.from)} → ${step(e.to)}`;
      break;
    }
    case 'audit': {
      const command = (e.command ?? {}) as Record<string, unknown>;
      const error = e.error as { message?: string } | null | undefined;
      text = `${commandText(command)} — ${m.detail.by} ${String(e.user ?? '?')}${
        e.result === 'ok' || e.result === undefined
          ? ''
          : ` (${String(e.result)}${error?.message ? `: ${error.message}` : ''})`
      }`;
      break;
    }
    default:
      text = '';
  }
  return { at: e.at, kind: e.kind, text };
}
