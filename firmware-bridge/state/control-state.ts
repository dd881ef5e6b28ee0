// What a fermenter must not forget across a restart, and the narrow port through which it is kept. The
// fermenter and the guard write through a FermenterMemory; app/ opens the store (sqlite-store.ts).
import type { ProfileProgress, ProfileStep } from '../control/profile-runner.js';
import type { GuardMemory } from '../safety/guard.js';
import type { ControlMode } from '../types.js';

/** A fermenter's intent: what it was told to do, by whom, and how far its profile has got. */
export interface ControlIntent {
  mode: ControlMode;
  beerSetpointC: number;
  chamberSetpointC: number;
  profile: ProfileStep[];
  /** When the current profile was started (the fermenter's clock). */
  profileStartAt: number;
  /** The step (from 0) it was started at; absent for the first. */
  profileStartStep?: number;
  /** Set once the profile has had its first beer reading; null before, or when no profile ever ran. */
  progress: ProfileProgress | null;
  /** `cobrew.yaml`, or who sent the last change (e.g. `mqtt set command`). */
  changedBy: string;
  changedAt: number;
  /** Digest of cobrew.yaml's control section when this intent was made from it. */
  configDigest: string;
}

/** The last readings cobrew had before it stopped: an outage is measured from here. */
export interface LastSeen {
  at: number;
  beerC: number | null;
  chamberC: number | null;
}

export interface StoredControlState {
  intent: ControlIntent | null;
  guard: GuardMemory | null;
  seen: LastSeen | null;
}

/** One fermenter's view of the store. Every save is durable when it returns (or throws, changing nothing). */
export interface FermenterMemory {
  load(): StoredControlState;
  saveIntent(intent: ControlIntent): void;
  saveGuard(memory: GuardMemory): void;
  /** Called every tick; the store may keep only one in a while (it flushes the latest on close). */
  saveSeen(seen: LastSeen): void;
}

export interface ControlStateStore {
  forFermenter(id: string): FermenterMemory;
  /**
   * Runs `fn` with every save it makes in one commit, durable when it returns (or none of them, if it throws):
   * for saves that need not each be on disk before the next, such as a hundred fermenters' first intents.
   */
  together<T>(fn: () => T): T;
  /** Every fermenter with stored state. */
  fermenters(): string[];
  /** Forgets a fermenter's intent, so cobrew.yaml applies at the next start; latched trips stay. */
  resetIntent(id: string): boolean;
  /**
   * Where simulated time stands: the same origin at every start with the same speed, so an accelerated
   * simulation carries on through restarts as wall time does.
   */
  clockOrigin(speed: number, realNow: number): { realMs: number; simMs: number };
  close(): void;
}
