/**
 * The sandbox's test numbers (E.164). Every outcome the real Telesign Phone ID Live can
 * produce has one, plus transport faults. All are valid US numbers (+1 415 555 01xx) so
 * that they pass normalization. Numbers not in this table get a deterministic, realistic
 * answer (mostly active, some disconnected, a few unknown).
 *
 * The README of this package documents each row; keep the two in step.
 */
export const TEST_NUMBERS = {
  /** ACTIVE, REACHABLE, not roaming, mobile. */
  active: '+14155550100',
  /** ACTIVE, UNREACHABLE (handset off or out of coverage). */
  unreachable: '+14155550101',
  /** ACTIVE, device status UNAVAILABLE (not known for this number). */
  deviceUnavailable: '+14155550102',
  /** ACTIVE, REACHABLE, roaming in Mexico (MX). */
  roaming: '+14155550103',
  /** DISCONNECTED: no longer in service. */
  disconnected: '+14155550104',
  /** HTTP 200, status 301, error -60001 "PhoneID Live Data Not Found", `live: null`. */
  notFound: '+14155550105',
  /** ACTIVE, REACHABLE, phone type "5" VoIP. */
  voip: '+14155550106',
  /** ACTIVE, REACHABLE, phone type "3" prepaid mobile. */
  prepaid: '+14155550107',
  /** ACTIVE, REACHABLE, with unknown enum values, string "null" fields and string coordinates. */
  oddValues: '+14155550108',

  /** HTTP 400, -10001 not-allowed host / unsupported product. */
  errNotAllowedHost: '+14155550110',
  /** HTTP 429, -40007 rate limit exceeded, with `Retry-After: 1`. */
  errRateLimited: '+14155550111',
  /** HTTP 400, -40007 rate limit exceeded (the other documented status). */
  errRateLimited400: '+14155550112',
  /** HTTP 400, 10041 blocked for legal compliance. */
  errLegalBlock: '+14155550113',
  /** HTTP 401, -20002 product not enabled for this customer. */
  errProductNotEnabled: '+14155550114',
  /** HTTP 401, -30001 account suspended. */
  errAccountSuspended: '+14155550115',
  /** HTTP 401, -40002 not authorised. */
  errNotAuthorized: '+14155550116',
  /** HTTP 402, payment required (no Telesign code). */
  errPaymentRequired: '+14155550117',
  /** HTTP 404, -40001 status unavailable. */
  errStatusUnavailable: '+14155550118',
  /** HTTP 404, -40004 resource not found. */
  errNotFound: '+14155550119',
  /** HTTP 405, -40005 method not allowed. */
  errMethodNotAllowed: '+14155550120',
  /** HTTP 429, -40008 transaction hard cap reached. */
  errHardCap: '+14155550121',
  /** HTTP 500, transaction not attempted (no Telesign code). */
  errInternal: '+14155550122',
  /** HTTP 503, -90001 system unavailable. */
  errUnavailable: '+14155550123',
  /** HTTP 401, -10009 invalid source IP. */
  errInvalidSourceIp: '+14155550124',
  /** HTTP 401, -30002 account not activated. */
  errAccountNotActivated: '+14155550125',
  /** HTTP 401, -20003 feature not enabled. */
  errFeatureNotEnabled: '+14155550126',
  /** HTTP 401, -30003 new-account limit reached. */
  errNewAccountLimit: '+14155550127',

  /** Accepts the request and never answers (until the client gives up). */
  faultHang: '+14155550190',
  /** Answers ACTIVE after 1,500 ms. */
  faultSlow: '+14155550191',
  /** HTTP 200 with a body that is not JSON. */
  faultMalformedJson: '+14155550192',
  /** HTTP 200 whose body stops half-way (Content-Length larger than what is sent). */
  faultTruncated: '+14155550193',
  /** Closes the connection without answering (ECONNRESET). */
  faultReset: '+14155550194',
  /** HTTP 200 with a 4 MiB body. */
  faultOversized: '+14155550195',
  /** HTTP 200, valid JSON without Telesign's envelope. */
  faultNoEnvelope: '+14155550196',
  /** HTTP 503 -90001 on the first two requests for this number, then ACTIVE (retry tests). */
  faultFlaky: '+14155550197',
} as const;

/** The name of a test number, e.g. `'disconnected'`. */
export type TestNumberName = keyof typeof TEST_NUMBERS;
