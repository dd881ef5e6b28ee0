// `cobrew board check --port <path>`: who is on the port (board, firmware, profile, reset cause), which
// sensors it has, then each output in turn in a safe sequence: one at a time, a short pulse, acknowledged,
// off again before the next; never heat and cool together; everything off at the end, on error and on Ctrl-C.
// Every pulse goes through the guard's output timing (OutputTiming): a compressor that stopped less than its
// minimum off time ago, or a cooling pulse inside the dead time after heating, waits until the rule allows it.
import createError from '@fastify/error';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext, ConfigFlags } from '../../common/cli-context.js';
import { schemaChecker } from '../../common/schema-check.js';
import { checkRatings, formatRefusals } from '../boards/rating.js';
import { hasBoardEvents } from '../boards/session.js';
import type { FermenterConfig } from '../config-schema.js';
import { BoardSchema, type RealBoardConfig } from '../config-schema.js';
import type { BoardDriver, BoardIdentity } from '../drivers/driver.js';
import { createDriver, probeRoms } from '../drivers/factory.js';
import type { OutputAck } from '../drivers/line/line-driver.js';
import { systemTimers, type Timers } from '../drivers/serial/timers.js';
import { checkFermenterConfig } from '../fermenter-config.js';
import type { JournalEntry } from '../journal/entries.js';
import { openJournalFile, readJournal } from '../journal/journal-file.js';
import { OutputTiming, timingLimits } from '../safety/rules/output-timing.js';
import type { OutputName, Outputs, TimingLimits } from '../types.js';

export const BoardCheckRefusedError = createError<'COBREW_ERR_BOARD_CHECK_REFUSED', [string, string]>(
  'COBREW_ERR_BOARD_CHECK_REFUSED',
  'Not pulsing the outputs of the board on %s: its configured set-up is refused by the rating check:\n%s',
);

export const BoardCheckAbortedError = createError<'COBREW_ERR_BOARD_CHECK_ABORTED', []>(
  'COBREW_ERR_BOARD_CHECK_ABORTED',
  'Board check interrupted; every output was switched off.',
);

export interface BoardCheckStep {
  output: OutputName;
  /** What the board answered to the output switched on alone: ack, nak (with reason), missing, or unknown. */
  on: OutputAck['result'] | 'unknown';
  reason?: string;
  /** What the board itself reported driving during the pulse (its status line), when it reports one. */
  seen: Outputs | null;
  off: OutputAck['result'] | 'unknown';
}

export interface BoardCheckResult {
  port: string;
  identity: BoardIdentity;
  sensors: Array<{ rom: string; probe: string | null }>;
  steps: BoardCheckStep[];
  ok: boolean;
}

export interface BoardCheckOptions {
  port: string;
  driver: BoardDriver;
  timers: Timers;
  /** Outputs to pulse, in this order (each alone). */
  outputs: OutputName[];
  /** The guard's timing for this board's outputs (the fermenter's `safety`, or its defaults). */
  limits: TimingLimits;
  /** Since when the outputs are known to be off: minimum off times count from here. */
  offSince: number;
  now(): number;
  /** Told of each pulse, for the journal. */
  onPulse?(pulse: { output: OutputName; onAt: number; offAt: number }): void;
  pulseMs: number;
  /** Off time between two pulses. */
  gapMs: number;
  ackTimeoutMs?: number;
  /** Probe names of known sensor ROMs (from the configuration). */
  names?: Record<string, string>;
  signal?: AbortSignal;
  print(line: string): void;
}

const OFF: Outputs = { heat: false, cool: false };

export async function checkBoard(o: BoardCheckOptions): Promise<BoardCheckResult> {
  const { driver, timers, print } = o;
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (o.signal?.aborted) return reject(new BoardCheckAbortedError());
      const onAbort = () => {
        cancel();
        reject(new BoardCheckAbortedError());
      };
      const cancel = timers.after(ms, () => {
        o.signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
  /** Writes outputs and waits for the board's answer to exactly them (line protocol); unknown otherwise. */
  const set = async (outputs: Outputs): Promise<{ result: BoardCheckStep['on']; reason?: string }> => {
    if (!hasBoardEvents(driver)) {
      driver.outputs.write(outputs);
      await sleep(o.ackTimeoutMs ?? 1000);
      return { result: 'unknown' };
    }
    let stop = () => {};
    const answered = new Promise<OutputAck>((resolve) => {
      stop = driver.onBoardEvent((e) => {
        if (
          e.type === 'output-ack' &&
          e.ack.outputs.heat === outputs.heat &&
          e.ack.outputs.cool === outputs.cool
        )
          resolve(e.ack);
      });
    });
    driver.outputs.write(outputs);
    const timeout = sleep(o.ackTimeoutMs ?? 2000).then(() => null);
    try {
      const ack = await Promise.race([answered, timeout]);
      if (ack === null) return { result: 'missing' };
      return ack.result === 'nak' ? { result: 'nak', reason: ack.reason } : { result: ack.result };
    } finally {
      stop();
    }
  };

  const identity = await driver.open();
  try {
    print(
      `Board on ${o.port}: ${identity.firmware} ${identity.version}, profile ${identity.profile}` +
        `${identity.resetCause === undefined ? '' : `, last reset: ${identity.resetCause}`}`,
    );
    const sensors = identity.sensors.map((rom) => ({ rom, probe: o.names?.[rom] ?? null }));
    print(`Sensors found: ${sensors.length}`);
    for (const s of sensors) print(`  ${s.rom}${s.probe === null ? '' : ` (${s.probe})`}`);
    const steps: BoardCheckStep[] = [];
    const timing = new OutputTiming(o.limits, o.offSince);
    for (const output of o.outputs) {
      const only = { ...OFF, [output]: true };
      const wait = timing.startsIn(output, o.now());
      if (wait !== null) {
        print(
          `${output} may start in ${seconds(wait.ms)}: ${WAIT_REASON[wait.rule](output, o.limits)}; waiting`,
        );
        await sleep(wait.ms);
      }
      timing.step(only, false, o.now());
      const onAt = o.now();
      const on = await set(only);
      let seen: Outputs | null = null;
      if (on.result === 'ack') {
        await sleep(o.pulseMs);
        // The board reports its outputs once a second, so a pulse of a second or more shows its own word.
        seen = (driver as { boardStatus?: { outputs: Outputs } | null }).boardStatus?.outputs ?? null;
      }
      // The end of a check pulse is a hold: the guard's rules let a hold cut inside the minimum on time.
      timing.allOff(o.now());
      const off = await set(OFF);
      o.onPulse?.({ output, onAt, offAt: o.now() });
      const step: BoardCheckStep = {
        output,
        on: on.result,
        ...(on.reason === undefined ? {} : { reason: on.reason }),
        seen,
        off: off.result,
      };
      steps.push(step);
      print(describeStep(step, o.pulseMs));
      await sleep(o.gapMs);
    }
    const ok = steps.every((s) => s.on === 'ack' && s.off === 'ack');
    print(
      ok
        ? 'Every output answered. All outputs off.'
        : 'Some outputs did not answer as expected (above). All outputs off.',
    );
    return { port: o.port, identity, sensors, steps, ok };
  } finally {
    // Whatever happened above: everything off, acknowledged when the board can, then the port is let go.
    driver.outputs.write(OFF);
    await driver.close();
  }
}

const WAIT_REASON: Record<
  NonNullable<ReturnType<OutputTiming['startsIn']>>['rule'],
  (o: OutputName, l: TimingLimits) => string
> = {
  'min-off': (o, l) => `its minimum off time is ${l[o].minOffS} s (safety.${o}.minOffS)`,
  'dead-time': (o, l) =>
    `the other output ran, and the dead time before ${o === 'cool' ? 'cooling' : 'heating'} is ` +
    `${l.interlockDeadS} s (safety.interlockDeadS)`,
  'other-on': () => 'the other output is on',
};

/**
 * Since when the journal proves every output off: the last entry, when it is a clean stop or the end of a
 * check pulse. Anything else (a crash leaves no stop) proves nothing, and the caller counts from now, as the
 * guard does at a start.
 */
export function knownOffSince(entries: readonly JournalEntry[]): number | null {
  const last = entries.at(-1);
  if (last?.kind === 'stop') return last.at;
  if (last?.kind === 'board-check') return last.offAt;
  return null;
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

function describeStep(s: BoardCheckStep, pulseMs: number): string {
  const answer = (r: BoardCheckStep['on'], reason?: string) =>
    r === 'ack'
      ? 'acknowledged'
      : r === 'nak'
        ? `refused (${reason})`
        : r === 'missing'
          ? 'no answer'
          : 'sent (this protocol has no acknowledgement)';
  const seen =
    s.seen === null
      ? ''
      : `, board reported heat ${s.seen.heat ? 'on' : 'off'} / cool ${s.seen.cool ? 'on' : 'off'}`;
  return `${s.output}: on for ${pulseMs} ms ${answer(s.on, s.reason)}${seen}; off ${answer(s.off)}`;
}

export function addBoardCheckCommand(
  board: Command,
  ctx: CliContext<{ readonly fermenters: readonly FermenterConfig[] }>,
): void {
  ctx
    .withConfigOptions(
      board
        .command('check')
        .description(
          'identify the board on a port and its firmware, list its sensors, then pulse each output alone, briefly ' +
            '(disconnect the loads first if you can: this checks the board, not the heater or compressor)',
        )
        .requiredOption('--port <path>', 'serial port of the board (`cobrew board list`)')
        .addOption(
          new Option('--type <type>', 'board type')
            .choices(['cobrew', 'firmata', 'brewpi'])
            .default('cobrew'),
        )
        .option('--pulse-ms <ms>', 'how long each output stays on', '1500')
        .option(
          '--outputs <list>',
          'outputs to pulse, in order (heat,cool); the compressor only when named; none to only identify',
          parseOutputs,
          ['heat'] as OutputName[] | 'none',
        )
        .option('--json', 'print the result as JSON'),
    )
    .action(
      async (
        opts: ConfigFlags & {
          port: string;
          type: RealBoardConfig['type'];
          pulseMs: string;
          outputs: OutputName[] | 'none';
          json?: boolean;
        },
      ) => {
        const { config } = await ctx.loadConfig(opts);
        const mine = config.fermenters.find((f) => f.board.type !== 'sim' && f.board.port === opts.port);
        if (mine !== undefined) {
          const refusals = checkRatings(mine);
          if (refusals.length > 0) throw new BoardCheckRefusedError(opts.port, formatRefusals(refusals));
        }
        const boardConfig: RealBoardConfig =
          mine !== undefined && mine.board.type !== 'sim'
            ? mine.board
            : (checkBoardConfig({ type: opts.type, port: opts.port }) as RealBoardConfig);
        const roms = mine === undefined ? {} : probeRoms(mine);
        const names = Object.fromEntries(
          Object.entries(roms).map(([probe, rom]) => [rom.toUpperCase(), probe]),
        );
        const enabled = (o: OutputName) => mine === undefined || mine.outputs[o].enabled;
        const safety = (mine ?? checkFermenterConfig({ id: 'check', name: 'check', board: { type: 'sim' } }))
          .safety;
        const dataDir = ctx.dataDir(opts);
        const offSince = knownOffSince(readJournal(dataDir).entries) ?? Date.now();
        const journal = openJournalFile(dataDir);
        const outputs = opts.outputs === 'none' ? [] : opts.outputs.filter(enabled);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        try {
          const result = await checkBoard({
            port: opts.port,
            driver: createDriver(boardConfig, roms, {
              clock: { now: () => Date.now() },
              timers: systemTimers,
            }),
            timers: systemTimers,
            outputs,
            limits: timingLimits(safety),
            offSince,
            now: () => Date.now(),
            onPulse: (p) => journal.append({ at: p.offAt, kind: 'board-check', port: opts.port, ...p }),
            pulseMs: Number(opts.pulseMs),
            gapMs: 2000,
            names,
            signal: controller.signal,
            print: (line) => {
              if (!opts.json) process.stdout.write(`${line}\n`);
            },
          });
          if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          if (!result.ok) process.exitCode = 1;
        } finally {
          process.off('SIGINT', onSigint);
        }
      },
    );
}

function parseOutputs(list: string): OutputName[] | 'none' {
  if (list === 'none') return 'none';
  const names = list.split(',').map((s) => s.trim());
  for (const n of names) {
    if (n !== 'heat' && n !== 'cool') {
      throw new InvalidArgumentError(`${n} is not an output; use heat, cool or none.`);
    }
  }
  return [...new Set(names)] as OutputName[];
}

const checkBoardConfig = schemaChecker(BoardSchema, 'The board');
