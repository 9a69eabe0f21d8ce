/**
 * Phone ID Live on the shared transport: `GET /v1/phoneid/live/{digits}?ucid={useCase}`,
 * answered with a {@link LiveStatus}. -60001 ("live data not found") is an answer with
 * UNKNOWN statuses, not an error.
 */
import { TelesignError } from '../model/errors.js';
import { type LiveStatus, type LookupOptions, USE_CASES, type UseCase } from '../model/types.js';
import { readCallOptions, readPhoneArgument } from './call-input.js';
import { LIVE_DATA_NOT_FOUND, parseLiveStatus } from './parse-live-status.js';
import type { TelesignReply, TelesignTransport } from './transport.js';

const LOOKUP_KEYS = ['useCase', 'signal'] as const;
const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);
const LIVE_ANSWER_CODES: ReadonlySet<number> = new Set([LIVE_DATA_NOT_FOUND]);

/** What Phone ID Live needs from the client's options. */
export interface LiveSettings {
  /** `ucid` of look-ups that name none. */
  readonly useCase: UseCase;
  /** Content type sent and signed with the GET. */
  readonly contentType: string;
}

function parseLive(reply: TelesignReply): LiveStatus {
  return parseLiveStatus(reply.json, { phone: reply.phone, checkedAt: reply.checkedAt });
}

/** `getLiveStatus` over `transport`. */
export function createLiveStatusLookup(
  transport: TelesignTransport,
  settings: LiveSettings,
): (phone: string, options?: LookupOptions) => Promise<LiveStatus> {
  return async function getLiveStatus(phone, options) {
    const checked = readCallOptions(options, 'getLiveStatus', LOOKUP_KEYS);
    const useCase: unknown = checked?.useCase !== undefined ? checked.useCase : settings.useCase;
    const { digits, e164 } = readPhoneArgument(phone);
    if (typeof useCase !== 'string' || !USE_CASE_SET.has(useCase)) {
      throw new TelesignError(
        'TELESIGN_INVALID_USE_CASE',
        `Telesign look-up refused: use case must be one of ${USE_CASES.join(', ')}.`,
      );
    }
    return transport.send({
      method: 'GET',
      resource: `/v1/phoneid/live/${digits}`,
      query: `ucid=${useCase}`,
      contentType: settings.contentType,
      phone: e164,
      signal: checked?.signal,
      answerCodes: LIVE_ANSWER_CODES,
      parse: parseLive,
    });
  };
}
