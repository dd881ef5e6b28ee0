// JSON Schema of the retained index of the Home Assistant discovery topics a bridge has published, so that its
// next start can clear those of fermenters no longer configured. One message per fermenter keeps each small
// whatever the number of fermenters (the embedded broker refuses packets above mqtt.limits.maxPacketBytes).
import { type Static, Type as T } from '@sinclair/typebox';

export const DiscoveryIndexSchema = T.Union(
  [
    T.Object(
      {
        fermenters: T.Array(T.String({ minLength: 1 }), {
          description:
            'The fermenters announced; the topics of each are on <base>/bridge/<bridgeId>/homeassistant/<id>',
        }),
      },
      { description: 'On <base>/bridge/<bridgeId>/homeassistant' },
    ),
    T.Object(
      {
        topics: T.Array(T.String({ minLength: 1 }), {
          description: 'Retained discovery config topics, e.g. homeassistant/sensor/cobrew_ale/beer/config',
        }),
      },
      {
        description:
          "On <base>/bridge/<bridgeId>/homeassistant/<id>: that fermenter's topics (on …/homeassistant itself, " +
          'every topic of the bridge, as earlier versions wrote it; still read)',
      },
    ),
  ],
  { description: 'Retained while Home Assistant discovery is on' },
);
export type DiscoveryIndex = Static<typeof DiscoveryIndexSchema>;
