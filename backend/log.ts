/**
 * Structured logs: one JSON line per request (`{ts, op, agent, status, ms}`) on stdout, plus start-up and error
 * lines. `silent` (the unit tests' default) writes nothing.
 */
import type { LogLevelSetting } from './config';

export interface RequestLogEntry {
  /** CTI operation, or `METHOD /path` for everything else. */
  op: string;
  agent?: string;
  status: number;
  ms: number;
}

export interface BackendLogger {
  request(entry: RequestLogEntry): void;
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevelSetting, write: (line: string) => void = (l) => process.stdout.write(l)):
  BackendLogger {
  const emit = (fields: Record<string, unknown>): void => {
    if (level === 'silent') return;
    write(`${JSON.stringify({ ts: new Date().toISOString(), ...fields })}\n`);
  };
  return {
    request: (entry) => emit({ level: 'info', ...entry }),
    info: (message, fields = {}) => emit({ level: 'info', message, ...fields }),
    error: (message, fields = {}) => emit({ level: 'error', message, ...fields }),
  };
}
