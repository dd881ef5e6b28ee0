// JSON Schema of <base>/bridge/<bridgeId>/homeassistant: the Home Assistant discovery topics a bridge has
// published, retained, so that its next start can clear those of fermenters no longer configured.
import { Type as T } from '@sinclair/typebox';

export const DiscoveryIndexSchema = T.Object(
  {
    topics: T.Array(T.String({ minLength: 1 }), {
      description:
        'Every retained discovery config topic this bridge publishes, e.g. homeassistant/sensor/cobrew_ale/beer/config',
    }),
  },
  { description: 'Retained on <base>/bridge/<bridgeId>/homeassistant while Home Assistant discovery is on' },
);
