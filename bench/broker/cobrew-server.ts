// cobrew's embedded broker alone in a process, for bench/broker.ts: auth and ACL on, on 127.0.0.1 and a free
// port, which it prints on stdout as {"port":N}. It stops on SIGTERM, or when its parent closes its stdin.
// The publish rate limit is raised out of the way: the bench measures throughput, not the limiter's refusals.
import { parseArgs } from 'node:util';
import { UserDirectory } from '../../broker/credentials.js';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import type { BrokerLog } from '../../broker/log.js';

const { values } = parseArgs({
  options: { users: { type: 'string' }, base: { type: 'string', default: 'cobrew' } },
});
if (values.users === undefined) {
  console.error('Usage: cobrew-server.ts --users <mqtt-users.json> [--base <topic>]');
  process.exit(2);
}

// Refusals would skew the figures: show them.
const log: BrokerLog = {
  debug() {},
  info() {},
  warn: (obj, msg) => console.error('cobrew broker:', msg, JSON.stringify(obj)),
  error: (obj, msg) => console.error('cobrew broker:', msg, JSON.stringify(obj)),
};

const broker = await startEmbeddedBroker({
  host: '127.0.0.1',
  port: 0,
  limits: { publishesPerSecond: 1e9, publishBurst: 1e9 },
  auth: { users: new UserDirectory(values.users), baseTopic: values.base },
  log,
});
console.log(JSON.stringify({ port: broker.port }));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // A clean exit, so that --cpu-prof writes its profile.
  broker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
