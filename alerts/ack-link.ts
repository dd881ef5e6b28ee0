// One-click acknowledgement links: the alert, the person and an expiry, signed with HMAC-SHA256 under a
// key only this cobrew holds. Nothing else in the link is trusted.
import { createHmac } from 'node:crypto';
import { sameSecret } from '../common/same-secret.js';
import { AckLinkInvalidError } from './errors.js';

export interface AckClaim {
  alertId: string;
  user: string;
  expiresAt: number;
}

const sign = (secret: Buffer, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function ackToken(secret: Buffer, claim: AckClaim): string {
  const body = Buffer.from(JSON.stringify([claim.alertId, claim.user, claim.expiresAt])).toString(
    'base64url',
  );
  return `${body}.${sign(secret, body)}`;
}

/** The claim of a genuine, unexpired token; throws COBREW_ERR_ALERT_ACK_LINK otherwise. */
export function checkAckToken(secret: Buffer, token: string, now: number): AckClaim {
  const [body, mac, extra] = token.split('.');
  if (body === undefined || mac === undefined || extra !== undefined || token.length > 1000)
    throw new AckLinkInvalidError('malformed');
  if (!sameSecret(mac, sign(secret, body))) throw new AckLinkInvalidError('not genuine');
  const [alertId, user, expiresAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [
    string,
    string,
    number,
  ];
  if (!(now < expiresAt)) throw new AckLinkInvalidError('expired');
  return { alertId, user, expiresAt };
}
