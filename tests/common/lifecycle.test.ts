// The one lifecycle: parts stop in exact reverse order of their start, the safe-first part before all of
// them, each once, and a part that fails to stop does not keep the others running.
import { describe, expect, it } from 'vitest';
import { type Service, ServiceStack } from '../../common/lifecycle.js';

function rig() {
  const events: string[] = [];
  const errors: string[] = [];
  const stack = new ServiceStack({ error: (_o, msg) => errors.push(msg) });
  const part = (name: string, opts: { failStart?: boolean; failStop?: boolean; safeFirst?: boolean } = {}) =>
    ({
      name,
      safeFirst: opts.safeFirst,
      async start() {
        events.push(`start ${name}`);
        if (opts.failStart) throw new Error(`${name} cannot start`);
      },
      async stop() {
        events.push(`stop ${name}`);
        if (opts.failStop) throw new Error(`${name} cannot stop`);
      },
    }) satisfies Service;
  return { events, errors, stack, part };
}

describe('ServiceStack', () => {
  it('stops in exact reverse order of start, the safe-first part before every other', async () => {
    const { events, stack, part } = rig();
    for (const p of [part('journal'), part('broker'), part('fleet', { safeFirst: true }), part('publisher')])
      await stack.start(p);
    await stack.stop();
    expect(events.slice(4)).toEqual(['stop fleet', 'stop publisher', 'stop broker', 'stop journal']);
  });

  it('stops each part once, however often stop is called', async () => {
    const { events, stack, part } = rig();
    await stack.start(part('a'));
    await Promise.all([stack.stop(), stack.stop()]);
    await stack.stop();
    expect(events.filter((e) => e.startsWith('stop'))).toEqual(['stop a']);
  });

  it('after a failed start, stops only what started, and never starts again', async () => {
    const { events, stack, part } = rig();
    await stack.start(part('a'));
    await stack.start(part('b'));
    await expect(stack.start(part('c', { failStart: true }))).rejects.toThrow('c cannot start');
    await stack.stop();
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop b', 'stop a']);
    await expect(stack.start(part('d'))).rejects.toThrow('stack is stopping');
  });

  it('goes on stopping past a part that fails, logs it, and throws the first failure', async () => {
    const { events, errors, stack, part } = rig();
    for (const p of [part('a'), part('b', { failStop: true }), part('c', { failStop: true })])
      await stack.start(p);
    await expect(stack.stop()).rejects.toThrow('c cannot stop');
    expect(events.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
    expect(errors).toEqual(['stopping the c failed', 'stopping the b failed']);
  });
});
