/**
 * Fault injection for `/api` (control API `POST /sim/faults`): extra latency, a fraction of requests failing with
 * a chosen status and exception, or the service "down" (connections dropped). `operations` limits a fault to
 * some CTI operations. Used by demos, the e2e suite and users' own resilience tests.
 */
import { CTI_OPERATIONS, ServiceException } from '../shared/cti';
import { CTIExceptions } from '../shared/enums';
import { CtiError, validationError } from './errors';
import {
  optionalBoolean, optionalNumber, optionalString, requireStringArray, type JsonObject,
} from './validate';

export interface FaultSpec {
  operations?: string[];
  latencyMs?: number;
  errorRate?: number;
  status?: number;
  errorType?: string;
  down?: boolean;
}

/** Two minutes: longer than any client deadline, so "slow" can also mean "times out". */
const MAX_LATENCY_MS = 120_000;

const DEFAULT_ERROR_TYPES: Readonly<Record<number, string>> = {
  401: CTIExceptions.UNAUTHORIZED_EXCEPTION,
  403: CTIExceptions.ACCESS_DENIED_EXCEPTION,
  429: ServiceException.THROTTLING,
  503: ServiceException.SERVICE_UNAVAILABLE,
};

/** Checks a `POST /sim/faults` body; errors name the field. */
export function parseFaultSpec(body: JsonObject): FaultSpec {
  const spec: FaultSpec = {};
  if (body.operations !== undefined && body.operations !== null) {
    const ops = requireStringArray(body, 'operations');
    ops.forEach((op, i) => {
      if (!(CTI_OPERATIONS as readonly string[]).includes(op)) throw validationError(`operations[${i}] "${op}" is not a CTI operation`);
    });
    spec.operations = ops;
  }
  const latencyMs = optionalNumber(body, 'latencyMs', undefined, { min: 0, max: MAX_LATENCY_MS, integer: true });
  const errorRate = optionalNumber(body, 'errorRate', undefined, { min: 0, max: 1 });
  const status = optionalNumber(body, 'status', undefined, { min: 400, max: 599, integer: true });
  const errorType = optionalString(body, 'errorType', undefined, { maxLength: 100 });
  if (errorType !== undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(errorType)) {
    throw validationError('errorType must be an exception name like ThrottlingException');
  }
  const down = optionalBoolean(body, 'down');
  if (latencyMs !== undefined) spec.latencyMs = latencyMs;
  if (errorRate !== undefined) spec.errorRate = errorRate;
  if (status !== undefined) spec.status = status;
  if (errorType !== undefined) spec.errorType = errorType;
  if (down !== undefined) spec.down = down;
  return spec;
}

export class FaultInjector {
  private spec: FaultSpec = {};

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the active faults. */
  set(spec: FaultSpec): void {
    this.spec = { ...spec };
  }

  clear(): void {
    this.spec = {};
  }

  current(): FaultSpec {
    return { ...this.spec };
  }

  private applies(op: string): boolean {
    return this.spec.operations === undefined || this.spec.operations.includes(op);
  }

  isDown(op: string): boolean {
    return this.spec.down === true && this.applies(op);
  }

  latencyFor(op: string): number {
    return this.applies(op) ? this.spec.latencyMs ?? 0 : 0;
  }

  /** The injected failure for this request, if the dice say so. */
  errorFor(op: string): CtiError | undefined {
    const rate = this.spec.errorRate ?? 0;
    if (rate <= 0 || !this.applies(op) || this.random() >= rate) return undefined;
    const status = this.spec.status ?? 500;
    const type = this.spec.errorType ?? DEFAULT_ERROR_TYPES[status] ?? ServiceException.INTERNAL_SERVICE;
    return new CtiError(type, `injected fault (${status} ${type})`, status);
  }
}
