import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../common/clock.js';
import { openSerialPort } from '../../../../firmware-bridge/drivers/serial/open.js';
import { Reconnector } from '../../../../firmware-bridge/drivers/serial/reconnect.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';

describe('opening a real serial port', () => {
  it('names the port, the baud rate and the fix when it cannot', async () => {
    const err = await openSerialPort('/dev/ttyCOBREW-absent', 57600).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_SERIAL_OPEN' });
    expect((err as Error).message).toMatch(/\/dev\/ttyCOBREW-absent at 57600 baud: .+cobrew board list/);
  });
});

describe('ManualTimers', () => {
  it('fires timers in time order, moving the clock to each, and cancels', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    const fired: Array<[string, number]> = [];
    timers.after(300, () => fired.push(['c', clock.now()]));
    timers.after(100, () => {
      fired.push(['a', clock.now()]);
      timers.after(100, () => fired.push(['b', clock.now()]));
    });
    const cancel = timers.after(200, () => fired.push(['never', clock.now()]));
    cancel();
    await timers.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(250);
    await timers.advance(100);
    expect(fired.at(-1)).toEqual(['c', 300]);
    expect(timers.size).toBe(0);
  });
});

describe('Reconnector', () => {
  it('doubles its wait up to the maximum, never overlaps attempts, and stops on success', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    const attempts: number[] = [];
    const failures: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const r = new Reconnector(
      timers,
      { initialMs: 100, maxMs: 500 },
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        attempts.push(clock.now());
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (attempts.length < 5) throw new Error('still unplugged');
      },
      (_err, next) => failures.push(next),
    );
    r.start();
    r.start();
    await timers.advance(5000);
    expect(attempts).toEqual([100, 300, 700, 1200, 1700]);
    expect(failures).toEqual([200, 400, 500, 500]);
    expect(maxInFlight).toBe(1);
    expect(r.running).toBe(false);
    expect(timers.size).toBe(0);
  });
});
