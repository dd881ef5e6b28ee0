// Every MQTT topic cobrew uses, in one place, so publishers and subscribers cannot drift apart.

export function topicsFor(base: string) {
  return {
    fermenterState: (id: string) => `${base}/fermenter/${id}/state`,
    fermenterIncident: (id: string) => `${base}/fermenter/${id}/incident`,
    fermenterAvailability: (id: string) => `${base}/fermenter/${id}/availability`,
    bridgeAvailability: (bridgeId: string) => `${base}/bridge/${bridgeId}/availability`,
    allFermenterStates: `${base}/fermenter/+/state`,
    /** The fermenter id in a `<base>/fermenter/<id>/state` topic, or null for any other topic. */
    stateTopicId(topic: string): string | null {
      const prefix = `${base}/fermenter/`;
      if (!topic.startsWith(prefix) || !topic.endsWith('/state')) return null;
      const id = topic.slice(prefix.length, -'/state'.length);
      return id === '' || id.includes('/') ? null : id;
    },
  };
}

export type Topics = ReturnType<typeof topicsFor>;

export const ONLINE = 'online';
export const OFFLINE = 'offline';
