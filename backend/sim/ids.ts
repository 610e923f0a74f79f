/**
 * Identifiers and ARNs. Seeded things get stable ids derived from their names, so ARNs survive restarts and resets
 * (tests and recorded fixtures can name them); contacts and connections get random ones.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
/** The simulated instance. ARNs follow the hosted format so VoiceId-style ARN checks in clients pass. */
export const INSTANCE_ID = stableUuid('instance');
export const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;

/** A UUID-shaped id that is always the same for the same name. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(`connect-sync:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function instanceArn(kind: string, name: string): string {
  return `${INSTANCE_ARN}/${kind}/${stableUuid(`${kind}:${name}`)}`;
}

export function newId(): string {
  return randomUUID();
}

/** An opaque secret (tokens, session ids): 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
