// Every MQTT topic cobrew uses, in one place, so publishers and subscribers cannot drift apart.
// docs/mqtt.md describes each one and its payload.

export function topicsFor(base: string) {
  const fermenter = (id: string, leaf: string) => `${base}/fermenter/${id}/${leaf}`;
  /** The fermenter id in a `<base>/fermenter/<id>/<leaf>` topic, or null for any other topic. */
  const fermenterId = (topic: string, leaf: string): string | null => {
    const prefix = `${base}/fermenter/`;
    const suffix = `/${leaf}`;
    if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return null;
    const id = topic.slice(prefix.length, -suffix.length);
    return id === '' || id.includes('/') ? null : id;
  };
  return {
    fermenterState: (id: string) => fermenter(id, 'state'),
    fermenterIncident: (id: string) => fermenter(id, 'incident'),
    fermenterAvailability: (id: string) => fermenter(id, 'availability'),
    /** States a bridge kept while the broker was away, sent once it is back (QoS 1, not retained). */
    fermenterReplay: (id: string) => fermenter(id, 'replay'),
    fermenterSet: (id: string) => fermenter(id, 'set'),
    fermenterSetResponse: (id: string) => fermenter(id, 'set/response'),
    /** Retained by the hub: the batch holding the fermenter, for a bridge to check rights by (batch-holders.ts). */
    fermenterBatch: (id: string) => fermenter(id, 'batch'),
    bridgeAvailability: (bridgeId: string) => `${base}/bridge/${bridgeId}/availability`,
    /** Retained list of the fermenters a bridge runs. */
    bridgeFermenters: (bridgeId: string) => `${base}/bridge/${bridgeId}/fermenters`,
    /** Retained list of the Home Assistant discovery topics a bridge has published, to clear them later. */
    bridgeDiscoveryIndex: (bridgeId: string) => `${base}/bridge/${bridgeId}/homeassistant`,
    /** Retained online/offline of a history recorder: a bridge replays its backlog only to a listening one. */
    recorderAvailability: (recorderId: string) => `${base}/recorder/${recorderId}/availability`,
    allRecorderAvailability: `${base}/recorder/+/availability`,
    allFermenterStates: fermenter('+', 'state'),
    allFermenterReplays: fermenter('+', 'replay'),
    allFermenterSets: fermenter('+', 'set'),
    allFermenterAvailability: fermenter('+', 'availability'),
    stateTopicId: (topic: string) => fermenterId(topic, 'state'),
    setTopicId: (topic: string) => fermenterId(topic, 'set'),
    availabilityTopicId: (topic: string) => fermenterId(topic, 'availability'),
    batchTopicId: (topic: string) => fermenterId(topic, 'batch'),
    /** The bridge id in a `<base>/bridge/<id>/<leaf>` topic, or null for any other topic. */
    bridgeTopicId: (topic: string, leaf: 'availability' | 'fermenters'): string | null => {
      const prefix = `${base}/bridge/`;
      const suffix = `/${leaf}`;
      if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return null;
      const id = topic.slice(prefix.length, -suffix.length);
      return id === '' || id.includes('/') ? null : id;
    },
  };
}

export type Topics = ReturnType<typeof topicsFor>;

export const ONLINE = 'online';
export const OFFLINE = 'offline';
