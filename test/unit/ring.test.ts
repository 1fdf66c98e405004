/// <reference lib="dom" />
/**
 * The window's ring (`renderer/lib/ring.ts`) against a recording AudioContext: it rings at once and
 * again every cycle while a call rings, stops with the ring and when muted, chimes once per chat
 * invitation, says when the browser holds sound back, and plays on the chosen output or says why not.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { REST_AFTER_MS, RING_OFF_S, RING_ON_S, Ringer, type RingSound } from '../../renderer/lib/ring.js';

/** A sound started on the fake context: its first frequency, Hz. */
interface Played {
  frequency: number;
}

/** An AudioContext that records what it plays; `allowed` says whether resume() may start it. */
function recordingAudio(options: { allowed: boolean; sinks?: string[] }) {
  const played: Played[] = [];
  const sinks: string[] = [];
  class Param {
    first: number | undefined;
    setValueAtTime(value: number): void {
      this.first ??= value;
    }
    linearRampToValueAtTime(): void {}
    exponentialRampToValueAtTime(): void {}
  }
  class Node {
    connect(): void {}
    disconnect(): void {}
  }
  class FakeContext extends EventTarget {
    state: AudioContextState = options.allowed ? 'running' : 'suspended';
    currentTime = 0;
    destination = new Node();
    async resume(): Promise<void> {
      if (!options.allowed) throw new Error('NotAllowedError');
      this.state = 'running';
      this.dispatchEvent(new Event('statechange'));
    }
    async close(): Promise<void> {
      this.state = 'closed';
    }
    async suspend(): Promise<void> {
      this.state = 'suspended';
      this.dispatchEvent(new Event('statechange'));
    }
    async setSinkId(id: string): Promise<void> {
      if (id && !(options.sinks ?? []).includes(id)) throw new Error('NotFoundError');
      sinks.push(id);
    }
    createGain() {
      return Object.assign(new Node(), { gain: new Param() });
    }
    createOscillator() {
      const frequency = new Param();
      return Object.assign(new Node(), {
        type: 'sine',
        frequency,
        start: () => played.push({ frequency: frequency.first ?? 0 }),
        stop: () => undefined,
        addEventListener: () => undefined,
      });
    }
  }
  return {
    Audio: FakeContext as unknown as new () => AudioContext,
    played,
    sinks,
    allow: () => {
      options.allowed = true;
    },
  };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
const CYCLE_MS = (RING_ON_S + RING_OFF_S) * 1000;

describe('the window’s ring', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
  afterEach(() => mock.timers.reset());

  it('rings at once and every cycle while a call rings, and stops with the ring', async () => {
    const audio = recordingAudio({ allowed: true });
    const ringer = new Ringer(audio.Audio);
    const sounds: RingSound[] = [];
    ringer.onSound((s) => sounds.push(s));
    ringer.update(true, []);
    await flush();
    assert.equal(audio.played.length, 1, 'the first ring at once');
    mock.timers.tick(CYCLE_MS);
    await flush();
    assert.equal(audio.played.length, 2, 'the next ring a cycle later');
    ringer.update(false, []);
    mock.timers.tick(CYCLE_MS * 3);
    await flush();
    assert.equal(audio.played.length, 2, 'silent once nothing rings');
    assert.deepEqual(sounds, ['off', 'playing', 'off']);
    ringer.dispose();
  });

  it('stays silent when muted in the settings, and a mute stops a ring at once', async () => {
    const audio = recordingAudio({ allowed: true });
    const ringer = new Ringer(audio.Audio);
    ringer.configure({ sound: false });
    ringer.update(true, ['chat/1']);
    await flush();
    assert.equal(audio.played.length, 0);
    assert.equal(ringer.sound, 'off');
    ringer.configure({ sound: true });
    await flush();
    assert.equal(ringer.sound, 'playing');
    ringer.configure({ sound: false });
    mock.timers.tick(CYCLE_MS * 2);
    await flush();
    assert.equal(audio.played.length, 1, 'one ring before the mute, none after');
    ringer.dispose();
  });

  it('chimes once for each new chat invitation, and never over a ringing call', async () => {
    const audio = recordingAudio({ allowed: true });
    const ringer = new Ringer(audio.Audio);
    ringer.update(false, ['chat/1']);
    await flush();
    assert.equal(audio.played.length, 2, 'a chime: two notes');
    ringer.update(false, ['chat/1']);
    await flush();
    assert.equal(audio.played.length, 2, 'not again for the same invitation');
    ringer.update(false, ['chat/1', 'chat/2']);
    await flush();
    assert.equal(audio.played.length, 4, 'a new invitation chimes');
    ringer.update(true, ['chat/1', 'chat/2', 'chat/3']);
    await flush();
    assert.equal(audio.played.length, 5, 'a ringing call rings; the invitation that came with it does not chime over it');
    ringer.dispose();
  });

  it('says the browser holds the sound back until the agent clicks, then rings', async () => {
    const audio = recordingAudio({ allowed: false });
    const ringer = new Ringer(audio.Audio);
    ringer.update(true, []);
    await flush();
    assert.equal(ringer.sound, 'blocked');
    assert.equal(audio.played.length, 0);
    audio.allow();
    assert.equal(await ringer.unlock(), 'playing');
    await flush();
    assert.equal(audio.played.length, 1);
    ringer.dispose();
  });

  it('plays on the chosen output, or on the default one with the reason when it is gone', async () => {
    const audio = recordingAudio({ allowed: true, sinks: ['headset'] });
    const ringer = new Ringer(audio.Audio);
    ringer.configure({ sound: true, device: 'headset' });
    ringer.update(true, []);
    await flush();
    assert.deepEqual(audio.sinks, ['headset']);
    assert.equal(ringer.deviceProblem, undefined);
    ringer.update(false, []);
    ringer.configure({ sound: true, device: 'unplugged' });
    ringer.update(true, []);
    await flush();
    assert.deepEqual(audio.sinks, ['headset', '']);
    assert.match(ringer.deviceProblem ?? '', /not available.*default one/);
    assert.equal(audio.played.length, 2, 'it rang all the same');
    ringer.dispose();
  });

  it('makes no new audio context at every change while one cannot be made, and tries again on the agent’s gesture', async () => {
    let made = 0;
    let works = false;
    const audio = recordingAudio({ allowed: true });
    const Real = audio.Audio;
    const Flaky = function () {
      made += 1;
      if (!works) throw new Error('NotSupportedError');
      return new Real();
    } as unknown as new () => AudioContext;
    const ringer = new Ringer(Flaky);
    for (let i = 0; i < 50; i++) ringer.update(true, []);
    assert.equal(made, 1, 'one try, not one per change');
    assert.equal(ringer.sound, 'unavailable');
    works = true;
    assert.equal(await ringer.unlock(), 'playing', 'a gesture tries again');
    assert.equal(made, 2);
    ringer.dispose();
  });

  it('makes its audio context before the first ring, lets it rest while nothing sounds, and rings at once from rest', async () => {
    mock.timers.reset();
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    let made = 0;
    const audio = recordingAudio({ allowed: true });
    const Real = audio.Audio;
    const Counted = function () {
      made += 1;
      return new Real();
    } as unknown as new () => AudioContext;
    const ringer = new Ringer(Counted);
    ringer.prepare();
    assert.equal(made, 1, 'made ahead, with nothing ringing');
    assert.equal(ringer.sound, 'off');
    mock.timers.tick(REST_AFTER_MS);
    await flush();
    ringer.update(true, []);
    assert.equal(ringer.sound, 'playing', 'a context at rest is one the browser lets play');
    await flush();
    assert.equal(audio.played.length, 1, 'the ring sounds at once, resumed from rest');
    assert.equal(made, 1, 'the same context');
    mock.timers.tick(REST_AFTER_MS * 2);
    assert.equal(ringer.sound, 'playing', 'no rest while a call rings');
    ringer.update(false, []);
    mock.timers.tick(REST_AFTER_MS);
    await flush();
    ringer.update(true, []);
    await flush();
    assert.equal(audio.played.length, 2 + Math.floor((REST_AFTER_MS * 2) / CYCLE_MS), 'rang again after its rest');
    ringer.dispose();
  });

  it('made ahead where the browser holds sound back, it still asks for the click when a call rings', async () => {
    const audio = recordingAudio({ allowed: false });
    const ringer = new Ringer(audio.Audio);
    ringer.prepare();
    assert.equal(ringer.sound, 'off');
    ringer.update(true, []);
    await flush();
    assert.equal(ringer.sound, 'blocked');
    audio.allow();
    assert.equal(await ringer.unlock(), 'playing');
    ringer.dispose();
  });

  it('says so when the host has no Web Audio', () => {
    const ringer = new Ringer();
    ringer.update(true, []);
    assert.equal(ringer.sound, 'unavailable');
    ringer.dispose();
  });
});
