// `cobrew start`: load the configuration, bring the application up, and take it down in a safe order on
// SIGINT or SIGTERM.
import { mkdir } from 'node:fs/promises';
import { packageVersion } from '../../common/version.js';
import { createFleet } from '../../firmware-bridge/fleet.js';
import { startApp } from '../app.js';
import { type BackupScheduler, backupHealth, startBackupSchedule } from '../backup/schedule.js';
import { type ConfigFlags, loadConfig } from '../config/load.js';
import { createLogger, type LogLevel } from '../log.js';
import { systemdNotifier } from '../service/notify.js';
import { startWatchdog, type Watchdog } from '../service/watchdog.js';

/** Longest a shutdown may take before cobrew gives up waiting and exits with an error. */
const STOP_TIMEOUT_MS = 15_000;

export async function runStart(flags: ConfigFlags, logLevel: LogLevel): Promise<void> {
  const log = createLogger({ level: logLevel });
  const { config, dataDir, file } = await loadConfig({
    flags,
    onDefaults: (missing) =>
      log.info(
        { file: missing },
        'no configuration file; using the built-in defaults (two simulated fermenters)',
      ),
  });
  // Passwords, sessions and private recipes live here: the directory is its owner's only.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (file !== null) log.info({ file }, 'configuration loaded');

  const app = await startApp({
    config,
    log,
    dataDir,
    createFleet: (opts) =>
      createFleet({
        ...opts,
        onError: (fermenter, err, retryInMs) =>
          log.error(
            { err, fermenter, retryInMs },
            'control failed; this fermenter is safe and restarts after the wait, the others run on',
          ),
      }),
  });

  const backups: BackupScheduler | undefined =
    config.backup === undefined
      ? undefined
      : startBackupSchedule({
          settings: config.backup,
          dataDir,
          configFile: file,
          version: packageVersion(),
          log: log.child({ part: 'backup' }),
          onOutcome: (failure) => app.spaceHealth(backupHealth(failure)),
        });

  // Under systemd: ready now, and the watchdog fed only while the control loop ticks.
  const notifier = systemdNotifier();
  const watchdog: Watchdog | undefined =
    notifier === null
      ? undefined
      : startWatchdog({
          notifier,
          progress: () => app.controlTicks(),
          onError: (err) => log.warn({ err }, 'could not notify systemd'),
        });

  const speed = config.sim.speed === 1 ? '' : `, simulation at ×${config.sim.speed}`;
  const mqtt =
    app.broker === 'external'
      ? `MQTT ${app.mqttUrl} (external broker, ${app.mqttUsername === null ? 'no login' : `user ${app.mqttUsername}`}; no embedded broker)`
      : `MQTT ${app.mqttUrl}${app.broker === 'mosquitto' ? ' (Mosquitto, MQTT 5)' : ''} · WebSocket ${app.wsUrl}`;
  const runs =
    config.role === 'hub'
      ? `cobrew hub is running: dashboard ${app.dashboardUrl} · status page ${app.dashboardUrl}status · ${mqtt} ` +
        `(fermenters of every bridge on the broker; data in ${dataDir})`
      : config.role === 'bridge'
        ? `cobrew bridge ${app.bridgeId} is running: ${mqtt} (${config.fermenters.length} fermenters${speed}; ` +
          `data in ${dataDir}; no dashboard: the hub shows them)`
        : `cobrew is running: dashboard ${app.dashboardUrl} · status page ${app.dashboardUrl}status · ${mqtt} ` +
          `(${config.fermenters.length} fermenters${speed}; bridge ${app.bridgeId}; data in ${dataDir})`;
  process.stdout.write(`${runs}. Ctrl+C stops.\n`);

  let stopping = false;
  const shutdown = (why: Record<string, unknown>, exitCode: number) => {
    if (stopping) {
      log.warn(why, 'already stopping; outputs are being made safe first');
      return;
    }
    stopping = true;
    log.info(why, 'stopping: outputs to their safe state first');
    const deadline = setTimeout(() => {
      log.fatal({ timeoutMs: STOP_TIMEOUT_MS }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    // Outputs first (app.stop stops the fleet before anything else), then a backup under way is let finish.
    Promise.all([app.stop(), backups?.stop(), watchdog?.stop()]).then(
      () => {
        clearTimeout(deadline);
        log.info({}, 'stopped');
        process.exit(exitCode);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        log.error({ err }, 'shutdown finished with errors');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', (signal) => shutdown({ signal }, 0));
  process.on('SIGTERM', (signal) => shutdown({ signal }, 0));
  // A bug anywhere must still leave the outputs safe before the process goes.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'unexpected error');
    shutdown({ reason: 'unexpected error' }, 1);
  });
}
