// The VictoriaMetrics queries that docs/grafana.md gives for Grafana answer with the series they name,
// once cobrew's mirror has written to a real VictoriaMetrics.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HistoryReading } from '../../../history/reading.js';
import { influxSettings, readings, storedAtLeast, useRig } from './mirror-rig.js';

const rig = useRig();

async function documentedQueries(): Promise<string[]> {
  const doc = await readFile(fileURLToPath(new URL('../../../docs/grafana.md', import.meta.url)), 'utf8');
  const m = /<!-- grafana: victoriametrics -->\s*```promql\n([\s\S]*?)```/.exec(doc);
  if (m?.[1] === undefined) throw new Error('docs/grafana.md has no <!-- grafana: victoriametrics --> block');
  return m[1].split('\n').filter((l) => l.trim() !== '');
}

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
}

describe('docs/grafana.md', () => {
  it('gives VictoriaMetrics queries that find the mirrored readings', async () => {
    const vm = await rig.victoria();
    const { mirror } = rig.mirror(influxSettings(vm.url, { space: 'cuverie' }), await rig.dataDir());
    const rs: HistoryReading[] = [...readings(600, 'ale'), ...readings(600, 'lager')].map((r) => ({
      ...r,
      fields: { ...r.fields, beerSetpointC: 18 },
    }));
    mirror.write(rs);
    await mirror.close();
    await storedAtLeast(vm, rs.length * 6);

    const queries = await documentedQueries();
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const from = Math.floor((rs[0] as HistoryReading).at / 1000);
    for (const q of queries) {
      // Grafana's own variables, as Grafana would fill them for a ten-minute view.
      const query = q.replaceAll('$__interval', '1m').replaceAll('$__range', '5m');
      const url = `${vm.url}/api/v1/query_range?query=${encodeURIComponent(query)}&start=${from}&end=${from + 600}&step=60`;
      const answer = (await (await fetch(url)).json()) as QueryAnswer;
      expect(answer.status, q).toBe('success');
      expect(answer.data.result.length, q).toBeGreaterThan(0);
      for (const series of answer.data.result) expect(series.values.length, q).toBeGreaterThan(0);
      if (!q.includes('fermenter="ale"')) {
        expect(answer.data.result.map((s) => s.metric.fermenter).sort(), q).toEqual(['ale', 'lager']);
      }
    }
  });
});
