// Who may connect to the embedded broker and what each client may do: aedes' preConnect, authenticate and
// authorize* handlers. Every refusal is logged with its reason; passwords never are.
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { Acl, OPEN_RULES, type Principal, rulesFor, type TopicRules } from './acl.js';
import { answerInstead, type CommandRights, setCommandFermenter } from './command-rights.js';
import type { LoginResult } from './credentials.js';
import { type BrokerLimits, LoginFailures, publishAllowance, type TokenBucket } from './limits.js';
import type { BrokerLog } from './log.js';

export interface BrokerAuth {
  /** Checks user names and passwords; cobrew's is a UserDirectory over <data dir>/mqtt-users.json. */
  users: { login(name: string, password: string): Promise<LoginResult> };
  /** `mqtt.baseTopic`, which the roles' topics start with. */
  baseTopic: string;
  /** What a client without a user name gets: a refusal (the default) or the viewer role. */
  anonymous?: 'refuse' | 'viewer';
  /**
   * User names of cobrew's own components (its bridge and dashboard accounts): the publish rate and
   * maxConnections, meant for untrusted clients, do not apply to them once logged in.
   */
  components?: readonly string[];
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
  /** null for cobrew's own components. */
  readonly bucket: TokenBucket | null;
}

/** Connections let through to the login check beyond mqtt.limits.maxConnections, so it can say why it refuses. */
const PRE_LOGIN_SLACK = 8;

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
  const commandTopic = `${auth?.baseTopic ?? 'cobrew'}/fermenter/`;
  const isCommandTopic = (topic: string) => topic.startsWith(commandTopic) && topic.endsWith('/set');
  const sessions = new WeakMap<Client, Session>();
  const wills = new WeakMap<Client, string>();
  /** Which user holds each connected client id, so that another user cannot take it over. */
  const holders = new Map<string, { client: Client; user: string }>();
  /** Connected clients per user, for the per-user limit. */
  const perUser = new Map<string, Set<Client>>();
  const failures = new LoginFailures(limits.loginFailuresPerAddress);
  const components = new Set(auth?.components ?? []);
  /** Connected clients of cobrew's own components, which maxConnections does not count. */
  const componentClients = new Set<Client>();
  const countComponents = () => {
    // A client aedes replaced without a disconnect event is closed: it no longer counts.
    for (const c of componentClients) if (c.closed) componentClients.delete(c);
    return componentClients.size;
  };

  const who = (client: Client) => {
    const s = sessions.get(client);
    return { clientId: client.id, user: s?.user, role: s?.role, remote: remoteAddress(client) };
  };

  /** Who the client is and what it may do, or a refusal with its CONNACK code. */
  const identify = async (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<{ user: string; role: string; rules: TopicRules; fermenters: number }> => {
    if (auth === undefined) {
      return { user: username ?? '(anonymous)', role: 'open', rules: OPEN_RULES, fermenters: 0 };
    }
    let principal: Principal;
    if (username === undefined || username === '') {
      if (auth.anonymous !== 'viewer') {
        throw refusal(NOT_AUTHORIZED, 'no user name given and anonymous access is off');
      }
      principal = { name: '(anonymous)', role: 'viewer' };
    } else {
      const address = remoteAddress(client) ?? '';
      if (failures.blocked(address, username)) {
        throw refusal(
          NOT_AUTHORIZED,
          'too many failed logins from this address for this user; wait 15 minutes',
        );
      }
      // Counted before the (slow) check, so that parallel guesses cannot all slip under the limit.
      failures.fail(address, username);
      let result: LoginResult;
      try {
        result = await auth.users.login(username, password?.toString('utf8') ?? '');
      } catch (err) {
        log.error({ err, clientId: client.id }, 'MQTT login impossible: the users file cannot be read');
        throw refusal(SERVER_UNAVAILABLE, 'the users file cannot be read');
      }
      if (!result.ok) throw refusal(BAD_USER_NAME_OR_PASSWORD, result.reason);
      failures.succeeded(address, username);
      principal = result.principal;
    }
    if (!components.has(principal.name)) {
      const open = [...(perUser.get(principal.name) ?? [])].filter((c) => !c.closed && c !== client).length;
      if (open >= limits.maxConnectionsPerUser) {
        throw refusal(
          SERVER_UNAVAILABLE,
          `user ${principal.name} already has ${open} clients connected (mqtt.limits.maxConnectionsPerUser)`,
        );
      }
      if (opts.connectedClients() - countComponents() >= limits.maxConnections) {
        throw refusal(SERVER_UNAVAILABLE, `connection limit of ${limits.maxConnections} clients reached`);
      }
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
    return {
      user: principal.name,
      role: principal.role,
      rules: rulesFor(principal, auth.baseTopic),
      fermenters: principal.fermenters?.length ?? 0,
    };
  };

  const accept = async (client: Client, username: string | undefined, password: Buffer | undefined) => {
    const { user, role, rules, fermenters } = await identify(client, username, password);
    const acl = new Acl(rules);
    const will = wills.get(client);
    if (will !== undefined && !acl.mayPublish(will)) {
      throw refusal(NOT_AUTHORIZED, `last will topic ${will} is not allowed for the role ${role}`);
    }
    sessions.set(client, {
      user,
      role,
      acl,
      // A bridge's allowance grows with the fermenters it runs.
      bucket: components.has(user) ? null : publishAllowance(limits, fermenters),
    });
  };

  return {
    preConnect(client, packet, callback) {
      // A component is admitted here whatever the count; authenticate still checks its password. Others get
      // a little slack before their login is even read: authenticate holds them to the exact limit, with a
      // CONNACK that says why.
      const connected = opts.connectedClients() - countComponents();
      if (connected >= limits.maxConnections + PRE_LOGIN_SLACK && !components.has(packet.username ?? '')) {
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
      if (!client.closed && s.bucket !== null && !s.bucket.take()) {
        log.warn(
          { ...who(client), perSecond: s.bucket.perSecond, burst: s.bucket.burst },
          'MQTT client disconnected: it publishes faster than allowed',
        );
        return callback(new Error('publish rate limit exceeded'));
      }
      // Commands are never retained (docs/mqtt.md): a retained one would be applied again at every start.
      if (packet.retain && isCommandTopic(packet.topic)) packet.retain = false;
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
      if (s === undefined) return;
      holders.set(client.id, { client, user: s.user });
      const mine = perUser.get(s.user) ?? new Set<Client>();
      mine.add(client);
      perUser.set(s.user, mine);
      if (s.bucket === null) componentClients.add(client);
    },

    clientGone(client) {
      componentClients.delete(client);
      if (holders.get(client.id)?.client === client) holders.delete(client.id);
      const user = sessions.get(client)?.user;
      const mine = user === undefined ? undefined : perUser.get(user);
      mine?.delete(client);
      if (user !== undefined && mine?.size === 0) perUser.delete(user);
      log.debug(who(client), 'MQTT client disconnected');
    },
  };
}
