// Who may connect to the embedded broker and what each client may do: aedes' preConnect, authenticate and
// authorize* handlers. Every refusal is logged with its reason; passwords never are.
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { Acl, OPEN_RULES, type Principal, rulesFor, type TopicRules } from './acl.js';
import { answerInstead, type CommandRights, setCommandFermenter } from './command-rights.js';
import type { LoginResult } from './credentials.js';
import { type BrokerLimits, TokenBucket } from './limits.js';
import type { BrokerLog } from './log.js';

export interface BrokerAuth {
  /** Checks user names and passwords; cobrew's is a UserDirectory over <data dir>/mqtt-users.json. */
  users: { login(name: string, password: string): Promise<LoginResult> };
  /** `mqtt.baseTopic`, which the roles' topics start with. */
  baseTopic: string;
  /** What a client without a user name gets: a refusal (the default) or the viewer role. */
  anonymous?: 'refuse' | 'viewer';
  /** Who may command which fermenter beyond the roles' topics (the batches); every set is let through without. */
  commands?: CommandRights;
}

export interface GatekeeperOptions {
  /** Without it every client is accepted and may use any topic but `$SYS`; the limits still hold. */
  auth: BrokerAuth | undefined;
  limits: BrokerLimits;
  connectedClients: () => number;
  log: BrokerLog;
}

type Handlers = Required<
  Pick<
    AedesOptions,
    'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'
  >
>;

export interface Gatekeeper extends Handlers {
  /** Tell it of aedes' clientReady and clientDisconnect events. */
  clientReady(client: Client): void;
  clientGone(client: Client): void;
}

interface Session {
  readonly user: string;
  readonly role: string;
  readonly acl: Acl;
  readonly bucket: TokenBucket;
}

// CONNACK return codes of MQTT 3.1.1.
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USER_NAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function remoteAddress(client: Client): string | undefined {
  return (client.conn as { remoteAddress?: string }).remoteAddress ?? client.req?.socket.remoteAddress;
}

export function createGatekeeper(opts: GatekeeperOptions): Gatekeeper {
  const { auth, limits, log } = opts;
  const sessions = new WeakMap<Client, Session>();
  const wills = new WeakMap<Client, string>();
  /** Which user holds each connected client id, so that another user cannot take it over. */
  const holders = new Map<string, { client: Client; user: string }>();

  const who = (client: Client) => {
    const s = sessions.get(client);
    return { clientId: client.id, user: s?.user, role: s?.role, remote: remoteAddress(client) };
  };

  /** Who the client is and what it may do, or a refusal with its CONNACK code. */
  const identify = async (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<{ user: string; role: string; rules: TopicRules }> => {
    if (auth === undefined) return { user: username ?? '(anonymous)', role: 'open', rules: OPEN_RULES };
    let principal: Principal;
    if (username === undefined || username === '') {
      if (auth.anonymous !== 'viewer') {
        throw refusal(NOT_AUTHORIZED, 'no user name given and anonymous access is off');
      }
      principal = { name: '(anonymous)', role: 'viewer' };
    } else {
      let result: LoginResult;
      try {
        result = await auth.users.login(username, password?.toString('utf8') ?? '');
      } catch (err) {
        log.error({ err, clientId: client.id }, 'MQTT login impossible: the users file cannot be read');
        throw refusal(SERVER_UNAVAILABLE, 'the users file cannot be read');
      }
      if (!result.ok) throw refusal(BAD_USER_NAME_OR_PASSWORD, result.reason);
      principal = result.principal;
    }
    const holder = holders.get(client.id);
    if (
      holder !== undefined &&
      holder.client !== client &&
      !holder.client.closed &&
      holder.user !== principal.name
    ) {
      throw refusal(IDENTIFIER_REJECTED, `client id in use by user ${holder.user}`);
    }
    return { user: principal.name, role: principal.role, rules: rulesFor(principal, auth.baseTopic) };
  };

  const accept = async (client: Client, username: string | undefined, password: Buffer | undefined) => {
    const { user, role, rules } = await identify(client, username, password);
    const acl = new Acl(rules);
    const will = wills.get(client);
    if (will !== undefined && !acl.mayPublish(will)) {
      throw refusal(NOT_AUTHORIZED, `last will topic ${will} is not allowed for the role ${role}`);
    }
    sessions.set(client, {
      user,
      role,
      acl,
      bucket: new TokenBucket(limits.publishesPerSecond, limits.publishBurst),
    });
  };

  return {
    preConnect(client, packet, callback) {
      const connected = opts.connectedClients();
      if (connected >= limits.maxConnections) {
        log.warn(
          { remote: remoteAddress(client), clientId: packet.clientId, maxConnections: limits.maxConnections },
          'MQTT connection refused: the broker has its maximum number of clients',
        );
        callback(new Error(`connection limit of ${limits.maxConnections} clients reached`), false);
        return;
      }
      if (packet.will) wills.set(client, packet.will.topic);
      callback(null, true);
    },

    authenticate(client, username, password, callback) {
      accept(client, username, password).then(
        () => {
          const s = sessions.get(client);
          log.info({ clientId: client.id, user: s?.user, role: s?.role }, 'MQTT client connected');
          callback(null, true);
        },
        (err: AuthenticateError) => {
          log.warn(
            { clientId: client.id, user: username, remote: remoteAddress(client), reason: err.message },
            'MQTT connection refused',
          );
          callback(err, false);
        },
      );
    },

    authorizePublish(client, packet, callback) {
      // A will left by a client of an earlier run: its topic was checked when that client connected.
      if (client === null) return callback(null);
      const s = sessions.get(client);
      if (s === undefined) return callback(new Error('not authenticated'));
      // A closed client is publishing its will, which the rate does not apply to.
      if (!client.closed && !s.bucket.take()) {
        log.warn(
          { ...who(client), perSecond: limits.publishesPerSecond, burst: limits.publishBurst },
          'MQTT client disconnected: it publishes faster than allowed',
        );
        return callback(new Error('publish rate limit exceeded'));
      }
      if (!s.acl.mayPublish(packet.topic)) {
        // MQTT 3.1.1 has no negative PUBACK; aedes drops the message and closes the connection.
        log.warn(
          { ...who(client), topic: packet.topic },
          'MQTT publish refused: topic not allowed for this role; message dropped, client disconnected',
        );
        return callback(new Error(`not allowed to publish on ${packet.topic}`));
      }
      const fermenterId = auth?.commands && setCommandFermenter(auth.baseTopic, packet.topic);
      const refused = fermenterId
        ? auth?.commands?.refusal({ name: s.user, role: s.role }, fermenterId)
        : null;
      if (refused) {
        log.warn(
          { ...who(client), topic: packet.topic, code: refused.code },
          'MQTT command refused: ' + refused.message,
        );
        answerInstead(packet, refused);
      }
      callback(null);
    },

    authorizeSubscribe(client, subscription, callback) {
      if (sessions.get(client)?.acl.maySubscribe(subscription.topic)) return callback(null, subscription);
      log.warn(
        { ...who(client), filter: subscription.topic },
        'MQTT subscription refused: filter not allowed for this role',
      );
      // A null subscription is answered with the failure code 0x80 in the SUBACK.
      callback(null, null);
    },

    authorizeForward(client, packet) {
      return sessions.get(client)?.acl.mayReceive(packet.topic) ? packet : null;
    },

    clientReady(client) {
      const s = sessions.get(client);
      if (s !== undefined) holders.set(client.id, { client, user: s.user });
    },

    clientGone(client) {
      if (holders.get(client.id)?.client === client) holders.delete(client.id);
      log.debug(who(client), 'MQTT client disconnected');
    },
  };
}
