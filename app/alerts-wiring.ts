// What the alerts service is given in the application: who brews the batch on each fermenter (the commons'
// batches), the dashboard's people and audit log, the health of the history store, the mirror and the disk,
// and the outcome of each scheduled backup.
import type { IClientOptions } from 'mqtt';
// The probes from their own module, not the alerts' index, which loads every channel (nodemailer).
import { diskProbe, type HealthProbe, historyProbe, mirrorProbe } from '../alerts/health.js';
import type { AlertsOptions, OwnerDirectory } from '../alerts/index.js';
import type { Clock } from '../common/clock.js';
import type { Accounts } from '../dashboard/accounts/index.js';
import type { RunningHistory } from '../history/index.js';
import type { InfluxMirror } from '../history/influx/start.js';
import type { CommonsStore } from '../recipes/commons/store.js';
import type { CobrewConfig } from './config/schema.js';

export function alertsWiring(
  p: {
    config: CobrewConfig;
    dataDir: string;
    url: string;
    clock: Clock;
    accounts: Accounts;
    commons: CommonsStore;
    history: RunningHistory | undefined;
    mirror: InfluxMirror | undefined;
    log: AlertsOptions['log'] & { child(b: object): AlertsOptions['log'] };
  },
  clientOptions: IClientOptions,
): AlertsOptions {
  const { config } = p;
  const health: HealthProbe[] = [diskProbe(p.dataDir, config.alerts.rules.space.diskFreePercent)];
  if (p.history !== undefined) health.push(historyProbe(p.history.service));
  if (p.mirror !== undefined) health.push(mirrorProbe(p.mirror));
  return {
    settings: config.alerts,
    dataDir: p.dataDir,
    url: p.url,
    baseTopic: config.mqtt.baseTopic,
    clientOptions,
    clock: p.clock,
    owners: batchOwners(p.commons),
    people: {
      admins: () =>
        p.accounts.users
          .list()
          .filter((u) => u.role === 'admin')
          .map((u) => u.name),
    },
    audit: {
      acknowledged: ({ user, alert, via }) =>
        p.accounts.audit.record({
          user,
          fermenterId: alert.fermenterId ?? '-',
          command: { acknowledge: alert.id, alert: alert.kind, via },
          result: 'ok',
          error: null,
        }),
    },
    health,
    log: p.log.child({ part: 'alerts' }),
  };
}

/** The owner and co-brewers of the batch on a fermenter; an empty fermenter has none. */
function batchOwners(commons: CommonsStore): OwnerDirectory {
  return {
    ownersOf(fermenterId) {
      const batch = commons.batches.onFermenter(fermenterId);
      return batch === null
        ? { owner: null, coBrewers: [] }
        : { owner: batch.owner, coBrewers: batch.coBrewers };
    },
  };
}
