/**
 * The 30 CTI operations of the contract, each mapped to its handler. Typed as a full record, so an operation
 * missing here is a compile error.
 */
import type { CtiOperation } from '../../shared/cti';
import { agentOperations } from './agent';
import { configOperations } from './config';
import { connectionOperations } from './connections';
import { contactOperations } from './contacts';
import type { OpHandler } from './context';
import { telemetryOperations } from './telemetry';
import { transportOperations } from './transport';

export const OPERATION_HANDLERS: Readonly<Record<CtiOperation, OpHandler>> = {
  ...agentOperations,
  ...contactOperations,
  ...connectionOperations,
  ...configOperations,
  ...transportOperations,
  ...telemetryOperations,
};

export function isOperation(name: string): name is CtiOperation {
  return Object.prototype.hasOwnProperty.call(OPERATION_HANDLERS, name);
}
