import type { CountryCode } from '@phone-guard/core';

/** One entry of the signup page's country picker. */
export interface PickerCountry {
  /** ISO 3166-1 alpha-2 code, what the form posts as `country`. */
  readonly code: CountryCode;
  /** English name shown in the picker. */
  readonly name: string;
  /** Calling code, shown next to the name (`44` → "+44"). */
  readonly callingCode: string;
}

/**
 * The countries of the signup page's picker, by name: the sandbox's test countries (US,
 * GB, DE, FR, IN, BR, AU) and other common ones. A real app would list every country it
 * serves; the guard accepts any ISO code it knows, so this list is presentation only.
 */
export const PICKER_COUNTRIES: readonly PickerCountry[] = [
  { code: 'AR', name: 'Argentina', callingCode: '54' },
  { code: 'AU', name: 'Australia', callingCode: '61' },
  { code: 'AT', name: 'Austria', callingCode: '43' },
  { code: 'BE', name: 'Belgium', callingCode: '32' },
  { code: 'BR', name: 'Brazil', callingCode: '55' },
  { code: 'CA', name: 'Canada', callingCode: '1' },
  { code: 'CN', name: 'China', callingCode: '86' },
  { code: 'FR', name: 'France', callingCode: '33' },
  { code: 'DE', name: 'Germany', callingCode: '49' },
  { code: 'IN', name: 'India', callingCode: '91' },
  { code: 'IE', name: 'Ireland', callingCode: '353' },
  { code: 'IT', name: 'Italy', callingCode: '39' },
  { code: 'JP', name: 'Japan', callingCode: '81' },
  { code: 'MX', name: 'Mexico', callingCode: '52' },
  { code: 'NL', name: 'Netherlands', callingCode: '31' },
  { code: 'NZ', name: 'New Zealand', callingCode: '64' },
  { code: 'NG', name: 'Nigeria', callingCode: '234' },
  { code: 'PL', name: 'Poland', callingCode: '48' },
  { code: 'PT', name: 'Portugal', callingCode: '351' },
  { code: 'SG', name: 'Singapore', callingCode: '65' },
  { code: 'ZA', name: 'South Africa', callingCode: '27' },
  { code: 'ES', name: 'Spain', callingCode: '34' },
  { code: 'SE', name: 'Sweden', callingCode: '46' },
  { code: 'CH', name: 'Switzerland', callingCode: '41' },
  { code: 'AE', name: 'United Arab Emirates', callingCode: '971' },
  { code: 'GB', name: 'United Kingdom', callingCode: '44' },
  { code: 'US', name: 'United States', callingCode: '1' },
];

/** The picker's choice when the browser's locale names no listed region (and without JS). */
export const DEFAULT_PICKER_COUNTRY: CountryCode = 'US';
