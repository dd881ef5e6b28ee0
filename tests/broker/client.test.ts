// cobrew's MQTT client on each transport it is given: TCP and TLS (with cobrew's own stream builders, a real
// Mosquitto and certificates made here by openssl) and WebSocket (mqtt.js's own, the embedded broker's).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, createClient } from '../../broker/client.js';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';

const run = promisify(execFile);
const USER = { name: 'brewer', password: 'lager & ale' };
const ACL = 'user brewer\ntopic readwrite test/#\n';

/** A certificate authority and a certificate it signed for 127.0.0.1. */
async function makeCertificates(dir: string) {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { timeout: 20_000 });
  await openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=cobrew test CA'],
    ...['-keyout', file('ca.key'), '-out', file('ca.pem')],
  );
  await openssl(
    ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'],
    ...['-keyout', file('broker.key'), '-out', file('broker.csr')],
  );
  await writeFile(file('san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  await openssl(
    ...['x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('broker.pem')],
  );
  return { ca: file('ca.pem'), cert: file('broker.pem'), key: file('broker.key') };
}

/** Whether setNoDelay(true) was applied to a socket: node keeps it under its own symbol. */
function noDelayOf(socket: Socket): unknown {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kSetNoDelay');
  return key === undefined ? undefined : (socket as unknown as Record<symbol, unknown>)[key];
}

describe('over TLS (mqtts://), on a real Mosquitto', () => {
  let dir: string;
  let mosquitto: Mosquitto;
  let ca: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cobrew-client-tls-'));
    const certs = await makeCertificates(dir);
    ca = await readFile(certs.ca);
    mosquitto = await startMosquitto({ users: [USER], acl: ACL, tls: { cert: certs.cert, key: certs.key } });
  }, 60_000);
  afterAll(async () => {
    await mosquitto?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('connects with the CA given, logs in with the credentials of the URL, and round-trips', async () => {
    expect(mosquitto.url).toMatch(/^mqtts:/);
    const client = createClient(mosquitto.urlFor(USER), 'test', { ca });
    await connected(client);
    try {
      expect(noDelayOf(client.stream as Socket)).toBe(true);
      await client.subscribeAsync('test/tls', { qos: 1 });
      const got = new Promise<string>((resolve) => client.once('message', (_t, p) => resolve(p.toString())));
      await client.publishAsync('test/tls', 'over TLS', { qos: 1 });
      expect(await got).toBe('over TLS');
    } finally {
      await client.endAsync(true);
    }
  });

  it('refuses a broker whose certificate it cannot verify, unless told it may (rejectUnauthorized: false)', async () => {
    const refused = createClient(mosquitto.url, 'test', { username: USER.name, password: USER.password });
    await expect(connected(refused)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const trusting = createClient(mosquitto.url, 'test', {
      username: USER.name,
      password: USER.password,
      rejectUnauthorized: false,
    });
    await connected(trusting);
    await trusting.endAsync(true);
  });

  it('reconnects over TLS after the broker comes back, TCP_NODELAY again', async () => {
    const client = createClient(mosquitto.url, 'test', {
      ca,
      username: USER.name,
      password: USER.password,
      reconnectPeriod: 50,
    });
    await connected(client);
    try {
      const first = client.stream;
      const again = new Promise<void>((resolve) => client.once('connect', () => resolve()));
      await mosquitto.kill();
      await mosquitto.start();
      await again;
      expect(client.stream).not.toBe(first);
      expect(noDelayOf(client.stream as Socket)).toBe(true);
    } finally {
      await client.endAsync(true);
    }
  });
});

describe('over other transports', () => {
  it("connects over WebSocket (ws://) with mqtt.js's own transport", async () => {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, wsPort: 0 });
    try {
      const client = createClient(broker.wsUrl as string, 'test');
      await connected(client);
      await client.endAsync(true);
    } finally {
      await broker.close();
    }
  });

  it('refuses a URL of any other scheme, naming those it speaks', () => {
    expect(() => createClient('http://127.0.0.1:1883', 'test')).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_MQTT_URL_SCHEME' }),
    );
  });
});
