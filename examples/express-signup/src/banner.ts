import { TEST_NUMBERS } from '@phone-guard/sandbox';

/** What one documented request posts. */
export interface SignupBody {
  email: string;
  phone: string;
  /** The country picker's value, when the number is written the national way. */
  country?: string;
}

/** One documented request of the demo and the answer it gets. */
export interface DemoExample {
  label: string;
  body: SignupBody;
  expectStatus: number;
  /** A ready-to-paste `curl` command that posts `body`. */
  curl: string;
}

/** The requests the demo documents (and its test replays), against the demo at `url`. */
export function demoExamples(url: string): DemoExample[] {
  const example = (
    label: string,
    phone: string,
    expectStatus: number,
    country?: string,
  ): DemoExample => {
    const body: SignupBody = {
      email: 'ada@example.com',
      ...(country === undefined ? {} : { country }),
      phone,
    };
    return {
      label,
      body,
      expectStatus,
      curl: `curl -s -X POST ${url}/signup -H 'content-type: application/json' -d '${JSON.stringify(body)}'`,
    };
  };
  return [
    example('allowed (201): an active number', TEST_NUMBERS.active, 201),
    example(
      'flagged (201, "needsReview": true): the handset is unreachable',
      TEST_NUMBERS.unreachable,
      201,
    ),
    example('blocked (403): the number is disconnected', TEST_NUMBERS.disconnected, 403),
    example('invalid (422): not a phone number', '415 555', 422),
    example(
      "allowed (201): a UK number written the national way, with its country (the page's picker)",
      '07400 123100',
      201,
      'GB',
    ),
  ];
}

/** What the demo prints once it listens. */
export function demoBanner(parts: {
  url: string;
  upstream: string;
  verifiedMs: number;
  examples: readonly DemoExample[];
}): string {
  return [
    '',
    `phone-guard demo: a signup route on ${parts.url}`,
    `Telesign: ${parts.upstream}`,
    `Credentials verified with one look-up (${Math.round(parts.verifiedMs)} ms).`,
    '',
    `Open ${parts.url}/ in a browser, or paste:`,
    '',
    ...parts.examples.flatMap((e) => [`  # ${e.label}`, `  ${e.curl}`, '']),
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
