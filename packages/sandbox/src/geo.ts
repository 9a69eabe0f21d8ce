/**
 * Just enough numbering-plan and geography data for realistic sandbox answers: country
 * calling codes, a few cities and carriers per country.
 */

/** One city the sandbox may place a number in. */
export interface SandboxCity {
  city: string;
  state: string | null;
  zip: string | null;
  county: string | null;
  metroCode: string | null;
  latitude: number;
  longitude: number;
}

/** Country data used to fill `location`, `numbering` and `carrier`. */
export interface SandboxCountry {
  iso2: string;
  iso3: string;
  name: string;
  timeZone: string;
  utcOffset: string;
  cities: readonly SandboxCity[];
  carriers: readonly string[];
}

const c = (
  city: string,
  state: string | null,
  zip: string | null,
  latitude: number,
  longitude: number,
  county: string | null = null,
  metroCode: string | null = null,
): SandboxCity => ({ city, state, zip, county, metroCode, latitude, longitude });

/** Countries by calling code. Numbers of other countries get a country-less location. */
export const COUNTRIES: Readonly<Record<string, SandboxCountry>> = {
  '1': {
    iso2: 'US',
    iso3: 'USA',
    name: 'United States',
    timeZone: 'America/Los_Angeles',
    utcOffset: '-8',
    cities: [
      c('San Francisco', 'CA', '94107', 37.77, -122.42, 'San Francisco', '807'),
      c('Los Angeles', 'CA', '90012', 34.05, -118.24, 'Los Angeles', '803'),
      c('Seattle', 'WA', '98101', 47.61, -122.33, 'King', '819'),
      c('Anaheim', 'CA', '92805', 33.83, -117.84, 'Orange', '803'),
      c('Portland', 'OR', '97204', 45.52, -122.68, 'Multnomah', '820'),
    ],
    carriers: ['Verizon Wireless', 'T-Mobile USA', 'AT&T Wireless', 'US Cellular'],
  },
  '44': {
    iso2: 'GB',
    iso3: 'GBR',
    name: 'United Kingdom',
    timeZone: 'Europe/London',
    utcOffset: '0',
    cities: [c('London', null, null, 51.51, -0.13), c('Manchester', null, null, 53.48, -2.24)],
    carriers: ['EE', 'Vodafone UK', 'O2 UK', 'Three UK'],
  },
  '33': {
    iso2: 'FR',
    iso3: 'FRA',
    name: 'France',
    timeZone: 'Europe/Paris',
    utcOffset: '1',
    cities: [c('Paris', null, null, 48.86, 2.35), c('Lyon', null, null, 45.76, 4.84)],
    carriers: ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile'],
  },
  '49': {
    iso2: 'DE',
    iso3: 'DEU',
    name: 'Germany',
    timeZone: 'Europe/Berlin',
    utcOffset: '1',
    cities: [c('Berlin', null, null, 52.52, 13.4), c('Munich', null, null, 48.14, 11.58)],
    carriers: ['Telekom Deutschland', 'Vodafone GmbH', 'Telefonica Germany'],
  },
  '52': {
    iso2: 'MX',
    iso3: 'MEX',
    name: 'Mexico',
    timeZone: 'America/Mexico_City',
    utcOffset: '-6',
    cities: [
      c('Mexico City', null, null, 19.43, -99.13),
      c('Guadalajara', null, null, 20.67, -103.35),
    ],
    carriers: ['Telcel', 'AT&T Mexico', 'Movistar Mexico'],
  },
  '61': {
    iso2: 'AU',
    iso3: 'AUS',
    name: 'Australia',
    timeZone: 'Australia/Sydney',
    utcOffset: '10',
    cities: [c('Sydney', 'NSW', null, -33.87, 151.21), c('Melbourne', 'VIC', null, -37.81, 144.96)],
    carriers: ['Telstra', 'Optus', 'Vodafone Australia'],
  },
  '91': {
    iso2: 'IN',
    iso3: 'IND',
    name: 'India',
    timeZone: 'Asia/Kolkata',
    utcOffset: '5.5',
    cities: [c('Mumbai', null, null, 19.08, 72.88), c('Bengaluru', null, null, 12.97, 77.59)],
    carriers: ['Reliance Jio', 'Bharti Airtel', 'Vodafone Idea'],
  },
  '55': {
    iso2: 'BR',
    iso3: 'BRA',
    name: 'Brazil',
    timeZone: 'America/Sao_Paulo',
    utcOffset: '-3',
    cities: [
      c('Sao Paulo', null, null, -23.55, -46.63),
      c('Rio de Janeiro', null, null, -22.91, -43.17),
    ],
    carriers: ['Vivo', 'Claro Brasil', 'TIM Brasil'],
  },
};

/** Carriers used for numbers of countries not in {@link COUNTRIES}. */
export const FALLBACK_CARRIERS: readonly string[] = ['Vodafone', 'Orange', 'Telefonica', 'MTN'];

/** Calling codes with two digits (ITU-T E.164 assignments); all others are 1 or 3 digits. */
const TWO_DIGIT_CODES: ReadonlySet<string> = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/**
 * Splits a complete number (digits only) into its country calling code and national
 * number.
 *
 * @example splitCountryCode('14155550100') // { countryCode: '1', national: '4155550100' }
 */
export function splitCountryCode(digits: string): { countryCode: string; national: string } {
  const first = digits.slice(0, 1);
  const length =
    first === '1' || first === '7' ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return { countryCode: digits.slice(0, length), national: digits.slice(length) };
}
