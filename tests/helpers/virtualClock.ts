// A fake clock for code that takes `now` and `sleep` (the rate gate, the SureCloud client), so tests
// measure waits without spending them.

export interface VirtualClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * A clock that moves only when someone sleeps. The earliest sleeper wakes once every pending
 * promise has settled, as a real timer would.
 */
export function makeVirtualClock(): VirtualClock {
  let time = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const wakeNext = () => {
    sleepers.sort((a, b) => a.at - b.at);
    const next = sleepers.shift();
    if (!next) return;
    time = Math.max(time, next.at);
    next.wake();
  };
  return {
    now: () => time,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: time + ms, wake });
        // One wake per sleep, on a later turn of the event loop, once pending promises have settled.
        setImmediate(wakeNext);
      }),
  };
}
