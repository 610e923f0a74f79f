/**
 * Phone numbers typed into the dial pad: people type spaces, dashes, dots and parentheses; the CTI contract wants
 * E.164 (`+`, a non-zero country digit, 7 to 15 digits in all).
 */

export const E164 = /^\+[1-9]\d{6,14}$/;

/** The number without the separators people type (`+1 (206) 555-0100` → `+12065550100`). */
export function normalizePhoneNumber(input: string): string {
  return input.trim().replace(/[\s().-]/g, '');
}

export type PhoneCheck = { ok: true; number: string } | { ok: false; message: string };

/** Checks a typed number; the message says what is wrong in words an agent understands. */
export function checkPhoneNumber(input: string): PhoneCheck {
  const number = normalizePhoneNumber(input);
  if (!number) return { ok: false, message: 'Enter a phone number, e.g. +12065550123.' };
  if (!number.startsWith('+')) return { ok: false, message: 'Start with + and the country code, e.g. +12065550123.' };
  if (!E164.test(number)) return { ok: false, message: 'Use E.164: + then 7 to 15 digits, e.g. +12065550123.' };
  return { ok: true, number };
}
