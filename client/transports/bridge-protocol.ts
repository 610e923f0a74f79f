/**
 * Messages between a CRM page and the CCP frame it embeds (`window.postMessage`, always to the exact peer origin).
 * The frame relays for the CRM: the CRM is a tab of the engine like any other, reached through the frame.
 */
import type { Hello, Up, WireError } from '../../shared/protocol';

/** Every bridge message carries this marker, so unrelated `message` traffic on the page is ignored cheaply. */
export const BRIDGE_SOURCE = 'connect-sync-bridge';

/** Largest bridge message accepted (JSON chars): the same cap as an up message to the engine. */
export const MAX_BRIDGE_MESSAGE_CHARS = 512 * 1024;

export enum BridgeType {
  /** frame → CRM: the frame is up and accepts this parent. Sent on load and again after a reload. */
  READY = 'ready',
  /** CRM → frame: open a relay for this tab. */
  HELLO = 'hello',
  /** CRM → frame: an up message expecting an answer. */
  POST = 'post',
  /** CRM → frame: an up message, no answer. */
  SEND = 'send',
  /** frame → CRM: the answer to `hello`/`post`. */
  RESULT = 'result',
  /** frame → CRM: a down message (JSON, as the engine encoded it). */
  DOWN = 'down',
  /** CRM → frame: the page options of `initCCP` (softphone, chat, pageOptions). */
  CONFIGURE = 'configure',
  /** frame → CRM: the frame refuses this parent (not an approved origin). */
  REFUSED = 'refused',
}

export type BridgeMessage =
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.READY }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.REFUSED; reason: string }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.HELLO; id: number; hello: Hello }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.POST; id: number; msg: Up; timeoutMs: number }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.SEND; msg: Up }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.RESULT; id: number; ok: true; value: unknown }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.RESULT; id: number; ok: false; error: WireError }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.DOWN; json: string }
  | { source: typeof BRIDGE_SOURCE; type: BridgeType.CONFIGURE; options: Record<string, unknown> };

/** Checks the envelope of a bridge message (payloads are checked where they are used). */
export function asBridgeMessage(data: unknown): BridgeMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as { source?: unknown; type?: unknown; id?: unknown };
  if (m.source !== BRIDGE_SOURCE || typeof m.type !== 'string') return null;
  if (!(Object.values(BridgeType) as string[]).includes(m.type)) return null;
  if ((m.type === BridgeType.HELLO || m.type === BridgeType.POST || m.type === BridgeType.RESULT) && typeof m.id !== 'number') return null;
  try {
    if (JSON.stringify(data).length > MAX_BRIDGE_MESSAGE_CHARS) return null;
  } catch {
    return null;
  }
  return data as BridgeMessage;
}
