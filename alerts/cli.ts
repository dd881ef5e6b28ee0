// `cobrew alert test`: a test message to one person (or everyone who set alert channels), on one channel
// or all of theirs, sent from this process and listed on the alerts page like any other. It works beside a
// running cobrew: each delivery is claimed in alerts.db before it is sent, so only one of them sends it.
import { type Command, Option } from 'commander';
import type { CliContext, ConfigFlags } from '../common/cli-context.js';
import { systemClock } from '../common/clock.js';
import type { AlertsSettings } from './config-schema.js';
import { Dispatcher } from './dispatcher.js';
import { CHANNEL_KINDS, type ChannelKind } from './model.js';
import { AlertRouter, noOwners, SPACE } from './router.js';
import { settingsChannels } from './service.js';
import { AlertStore } from './store.js';

interface TestFlags extends ConfigFlags {
  user?: string;
  channel?: string;
}

export function addAlertCommands(program: Command, ctx: CliContext<{ alerts: AlertsSettings }>): void {
  const alert = program.command('alert').description('alerts to people: channels, rota, acknowledgement');
  ctx
    .withConfigOptions(
      alert
        .command('test')
        .description('send a test alert and tell, per channel, whether the server accepted it')
        .option(
          '--user <name>',
          `only this person (${SPACE}: the space's default channels); default everyone who set alert channels`,
        )
        .addOption(new Option('--channel <kind>', 'only this channel').choices(CHANNEL_KINDS)),
    )
    .action(async (opts: TestFlags) => {
      const channel = opts.channel as ChannelKind | undefined;
      const { config, dataDir } = await ctx.loadConfig(opts);
      const store = new AlertStore(dataDir);
      try {
        const router = new AlertRouter({
          settings: config.alerts,
          store,
          clock: systemClock,
          owners: noOwners,
          people: { admins: () => [] },
        });
        const spaceSet = Object.keys(router.defaults().channels).length > 0;
        const users =
          opts.user === undefined ? [...store.contactNames(), ...(spaceSet ? [SPACE] : [])] : [opts.user];
        const dispatcher = new Dispatcher({
          store,
          contactOf: (user) => router.contactOf(user),
          channels: settingsChannels(config.alerts),
          clock: systemClock,
          perChannelPerHour: config.alerts.perChannelPerHour,
          maxAttempts: 1,
          leaseMs: 2 * config.alerts.timeoutMs + 5000,
        });
        let failed = 0;
        for (const user of users) {
          const { alert: test } = router.test(user, channel);
          await dispatcher.pass();
          for (const d of store.deliveriesOf(test.id)) {
            const ok = d.status === 'sent';
            if (!ok) failed += 1;
            process.stdout.write(
              `${user}\t${d.channel}\t${ok ? 'accepted' : `failed: ${d.lastError ?? d.status}`}\n`,
            );
          }
        }
        await dispatcher.stop();
        if (failed > 0) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}
