/**
 * Telemetry the client ships: logs, softphone metrics and reports, contact issues. Accepted, checked and counted
 * (see `/sim/stats` → `telemetry`); nothing else is done with them.
 */
import { validationError } from '../errors';
import {
  isObject, optionalString, requireArray, requireObject, requireString, type JsonObject,
} from '../validate';
import type { OpHandler } from './context';
import { contactIdOf } from './inputs';

/** The worker ships logs in batches; a few thousand lines per call is already far more than it sends. */
const MAX_LOG_EVENTS = 5000;

function checkLogEvent(event: unknown, i: number): void {
  const at = `logEvents[${i}]`;
  if (!isObject(event)) throw validationError(`${at} must be an object`);
  if (typeof event.timestamp !== 'number' || !Number.isFinite(event.timestamp)) {
    throw validationError(`${at}.timestamp must be a number (epoch seconds)`);
  }
  requireString(event, 'component', at);
  requireString(event, 'message', at, { nonEmpty: false });
}

const sendClientLogs: OpHandler = (ctx, input) => {
  const events = requireArray(input, 'logEvents', undefined, MAX_LOG_EVENTS);
  events.forEach(checkLogEvent);
  ctx.stats.countTelemetry('clientLogEvents', ctx.username, events.length);
  return {};
};

const sendSoftphoneCallMetrics: OpHandler = (ctx, input: JsonObject) => {
  contactIdOf(input);
  requireArray(input, 'softphoneStreamStatistics');
  optionalString(input, 'ccpVersion');
  ctx.stats.countTelemetry('softphoneMetrics', ctx.username);
  return {};
};

const sendSoftphoneCallReport: OpHandler = (ctx, input) => {
  contactIdOf(input);
  requireObject(input, 'report');
  optionalString(input, 'ccpVersion');
  ctx.stats.countTelemetry('softphoneReports', ctx.username);
  return {};
};

const notifyContactIssue: OpHandler = (ctx, input) => {
  contactIdOf(input);
  for (const field of ['issueCode', 'description', 'clientLogs']) optionalString(input, field, undefined, { nonEmpty: false, maxLength: 200_000 });
  ctx.stats.countTelemetry('contactIssues', ctx.username);
  return {};
};

export const telemetryOperations = {
  SendClientLogs: sendClientLogs,
  SendSoftphoneCallMetrics: sendSoftphoneCallMetrics,
  SendSoftphoneCallReport: sendSoftphoneCallReport,
  NotifyContactIssue: notifyContactIssue,
} satisfies Record<string, OpHandler>;
