// The payload on both availability topics: plain text, not JSON, so Home Assistant and mosquitto_sub read it.
import { Type as T } from '@sinclair/typebox';
import { OFFLINE, ONLINE } from './topics.js';

export const AvailabilitySchema = T.Union([T.Literal(ONLINE), T.Literal(OFFLINE)], {
  description:
    'Plain text (not a JSON string), retained, on <base>/fermenter/<id>/availability and ' +
    '<base>/bridge/<bridgeId>/availability',
});
