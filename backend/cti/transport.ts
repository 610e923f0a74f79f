/**
 * Session-level operations: CreateTransport (push channels; plausible values, nothing is served at the URLs) and
 * GetNewAuthToken (refresh-token exchange).
 */
import { CTIExceptions } from '../../shared/enums';
import { CtiError, validationError } from '../errors';
import { toEpochSeconds } from '../sim/clock';
import { newSecret } from '../sim/ids';
import { optionalString, requireString } from '../validate';
import type { OpHandler } from './context';

/** The hosted service's transports live an hour; the original worker refuses anything under 300 s. */
const TRANSPORT_LIFETIME_SECONDS = 3600;
/** Chat participant tokens are good for a day, like the hosted service's. */
const CHAT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

const TRANSPORT_TYPES = ['web_socket', 'chat_token', 'softphone'] as const;

const createTransport: OpHandler = (ctx, input) => {
  const type = requireString(input, 'transportType');
  optionalString(input, 'participantId');
  optionalString(input, 'contactId');
  const softphoneClientId = optionalString(input, 'softphoneClientId');
  const now = ctx.sim.now();
  switch (type) {
    case 'web_socket':
      return {
        webSocketTransport: {
          url: `ws://${ctx.host}/ws/${encodeURIComponent(ctx.username)}`,
          transportLifeTimeInSeconds: TRANSPORT_LIFETIME_SECONDS,
          expiry: new Date(now + TRANSPORT_LIFETIME_SECONDS * 1000).toISOString(),
        },
      };
    case 'chat_token':
      return { chatTokenTransport: { participantToken: newSecret(),
        expiry: new Date(now + CHAT_TOKEN_LIFETIME_MS).toISOString() } };
    case 'softphone':
      return {
        softphoneTransport: {
          softphoneMediaConnections: [{
            username: `${Math.floor(now / 1000) + TRANSPORT_LIFETIME_SECONDS}:${softphoneClientId ?? ctx.username}`,
            credential: newSecret(),
            urls: ['turn:turn.invalid:3478?transport=udp', 'turns:turn.invalid:443?transport=tcp'],
          }],
        },
      };
    default:
      throw validationError(`transportType must be one of ${TRANSPORT_TYPES.join(', ')}`);
  }
};

const getNewAuthToken: OpHandler = (ctx, input) => {
  const refreshToken = requireString(input, 'refreshToken');
  const grant = ctx.auth.refresh(refreshToken, ctx.username);
  if (!grant) throw new CtiError(CTIExceptions.REFRESH_TOKEN_EXPIRED_EXCEPTION, 'refreshToken is unknown, spent or expired', 400);
  return { newAuthToken: grant.accessToken, expirationDateTime: toEpochSeconds(grant.expiration), refreshToken: grant.refreshToken };
};

export const transportOperations = {
  CreateTransport: createTransport,
  GetNewAuthToken: getNewAuthToken,
} satisfies Record<string, OpHandler>;
