// Board resets and firmware failsafes are told in-process by the fleet (its board log), not over MQTT.
import type { BoardLogEntry } from '../firmware-bridge/boards/session.js';
import type { BoardEvent } from './rules.js';

export function boardEventOf(e: BoardLogEntry): BoardEvent | null {
  if (e.kind === 'board-reset')
    return { kind: 'board-reset', detail: `reset cause: ${e.identity?.resetCause ?? 'unknown'}` };
  if (e.kind === 'board-failsafe') return { kind: 'board-failsafe', detail: e.reason };
  return null;
}
