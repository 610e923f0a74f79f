/**
 * The built-in ringtone, generated on first use (nothing to download, nothing bundled): a double ring of two mixed
 * tones, as a WAV `data:` URL that an `<audio loop>` element plays.
 */

/** 8 kHz, 8-bit mono: telephone quality is all a ring tone needs, and it keeps the WAV at 16 KB. */
export const RINGTONE_SAMPLE_RATE = 8000;
/** The two tones of a classic double ring (Hz). */
const TONES_HZ = [400, 450] as const;
/** Ring, pause, ring, silence (seconds): two short rings then a rest, looped by the player. */
const PATTERN_S = [[0.4, true], [0.2, false], [0.4, true], [1.0, false]] as const;
/** Fades of 5 ms at each edge of a ring avoid audible clicks. */
const FADE_S = 0.005;
/** Below full scale so that two summed tones never clip. */
const AMPLITUDE = 0.35;

/** The ring pattern as unsigned 8-bit samples (128 = silence). */
export function ringtoneSamples(rate = RINGTONE_SAMPLE_RATE): Uint8Array {
  const total = PATTERN_S.reduce((n, [s]) => n + Math.round(s * rate), 0);
  const out = new Uint8Array(total).fill(128);
  const fade = Math.max(1, Math.round(FADE_S * rate));
  let at = 0;
  for (const [seconds, on] of PATTERN_S) {
    const n = Math.round(seconds * rate);
    if (on) {
      for (let i = 0; i < n; i++) {
        const t = i / rate;
        const envelope = Math.min(1, i / fade, (n - 1 - i) / fade);
        const v = TONES_HZ.reduce((sum, hz) => sum + Math.sin(2 * Math.PI * hz * t), 0) / TONES_HZ.length;
        out[at + i] = Math.round(128 + 127 * AMPLITUDE * envelope * v);
      }
    }
    at += n;
  }
  return out;
}

/** A RIFF/WAVE file (PCM, mono, 8-bit) around `samples`. */
export function wavFile(samples: Uint8Array, rate = RINGTONE_SAMPLE_RATE): Uint8Array {
  const header = 44;
  const bytes = new Uint8Array(header + samples.length);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string): void => { for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.length, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true); // byte rate: 1 byte per sample
  view.setUint16(32, 1, true); // block align
  view.setUint16(34, 8, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, samples.length, true);
  bytes.set(samples, header);
  return bytes;
}

let cached: string | null = null;

/**
 * The built-in ringtone as a `data:audio/wav;base64,…` URL (made once per page).
 *
 * @example
 * const audio = new Audio(builtinRingtoneUrl());
 * audio.loop = true;
 */
export function builtinRingtoneUrl(): string {
  if (cached) return cached;
  const wav = wavFile(ringtoneSamples());
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode takes arguments on the stack: stay well below engine limits
  for (let i = 0; i < wav.length; i += CHUNK) binary += String.fromCharCode(...wav.subarray(i, i + CHUNK));
  cached = `data:audio/wav;base64,${btoa(binary)}`;
  return cached;
}
