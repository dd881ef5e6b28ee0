// `cobrew state show [fermenter]` and `cobrew state reset <fermenter>`: what each fermenter will resume
// with at the next start, and a way back to cobrew.yaml's values.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliContext, ConfigFlags } from '../../common/cli-context.js';
import type { ControlStateStore, StoredControlState } from './control-state.js';
import { UnknownStateFermenterError } from './errors.js';
import { controlDbFile, openControlState } from './sqlite-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The stored state as a person reads it. */
export function describeState(id: string, s: StoredControlState): Record<string, unknown> {
  const i = s.intent;
  return {
    fermenter: id,
    intent:
      i === null
        ? 'none stored: cobrew.yaml applies at the next start'
        : {
            mode: i.mode,
            beerSetpointC: i.beerSetpointC,
            chamberSetpointC: i.chamberSetpointC,
            changedBy: i.changedBy,
            changedAt: iso(i.changedAt),
            ...(i.profile.length === 0
              ? {}
              : {
                  profile: {
                    steps: i.profile,
                    startedAt: iso(i.profileStartAt),
                    ...(i.progress === null
                      ? {}
                      : { step: i.progress.stepIndex, stepStartedAt: iso(i.progress.stepStartAt) }),
                  },
                }),
          },
    latched: (s.guard?.latches ?? []).map((l) => ({
      code: l.code,
      severity: l.severity,
      since: iso(l.incident.at),
      incident: l.incident.id,
      message: l.incident.message,
    })),
    outputsLastOff:
      s.guard === null
        ? null
        : {
            heat: iso(s.guard.outputs.heat.offAt),
            cool: iso(s.guard.outputs.cool.offAt),
          },
    lastSeen: s.seen === null ? null : { ...s.seen, at: iso(s.seen.at) },
  };
}

function known(store: ControlStateStore, id: string): void {
  const ids = store.fermenters();
  if (!ids.includes(id)) throw new UnknownStateFermenterError(id, ids.join(', ') || 'none');
}

export function addStateCommands(program: Command, ctx: CliContext): void {
  const state = program
    .command('state')
    .description('what each fermenter resumes with after a restart (data dir control.db)');
  const open = (flags: ConfigFlags) => openControlState(ctx.dataDir(flags));

  ctx
    .withConfigOptions(
      state
        .command('show [fermenter]')
        .description('print the stored intent, latched trips and output times of one fermenter or all'),
    )
    .action((id: string | undefined, flags: ConfigFlags) => {
      if (!existsSync(controlDbFile(ctx.dataDir(flags)))) {
        process.stdout.write('No control state stored yet: every fermenter starts from cobrew.yaml.\n');
        return;
      }
      const store = open(flags);
      try {
        const ids = id === undefined ? store.fermenters() : [id];
        const shown = ids.map((f) => describeState(f, store.forFermenter(f).load()));
        process.stdout.write(stringify(shown));
      } finally {
        store.close();
      }
    });

  ctx
    .withConfigOptions(
      state
        .command('reset <fermenter>')
        .description(
          "forget a fermenter's stored intent so cobrew.yaml's control values apply at the next start " +
            '(stop cobrew first); latched trips stay latched until a person clears them',
        ),
    )
    .action((id: string, flags: ConfigFlags) => {
      const store = open(flags);
      try {
        known(store, id);
        const removed = store.resetIntent(id);
        process.stdout.write(
          removed
            ? `Fermenter ${id} starts from cobrew.yaml's control values at the next start.\n`
            : `Fermenter ${id} had no stored intent; cobrew.yaml already applies.\n`,
        );
      } finally {
        store.close();
      }
    });
}
