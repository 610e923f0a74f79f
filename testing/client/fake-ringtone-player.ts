/** A ringtone player for tests: records what it was asked to do, plays nothing. */
import type { RingtonePlayer } from '../../client/features/ringtone';
import type { Ring } from '../../client/features/ringtone-rules';

export class FakePlayer implements RingtonePlayer {
  readonly calls: string[] = [];
  playing: { url: string; ring: Ring } | null = null;
  refuse = false;
  sink: string | null = null;

  play(url: string, ring: Ring): Promise<void> {
    this.calls.push(`play ${ring.contactId} ${url.slice(0, 15)}`);
    this.playing = { url, ring };
    return this.refuse ? Promise.reject(new Error('NotAllowedError: autoplay')) : Promise.resolve();
  }

  stop(): void {
    this.calls.push('stop');
    this.playing = null;
  }

  setSinkId(deviceId: string): void {
    this.sink = deviceId;
  }

  /** Read through a call, so that a test's earlier assertions do not narrow it. */
  current(): { url: string; ring: Ring } | null {
    return this.playing;
  }
}
