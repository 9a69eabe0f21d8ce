/**
 * Masks a phone number for logs and events: the country calling code's first digits and
 * the last two digits stay, everything between becomes `*` (`+14155552671` →
 * `+1415*****71`). Works on any string; never returns more than 6 of its digits.
 *
 * @example maskPhone('+14155552671') // '+1415*****71'
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return '';
  if (digits.length <= 6) return `+${'*'.repeat(digits.length)}`;
  const head = digits.slice(0, 4);
  const tail = digits.slice(-2);
  return `+${head}${'*'.repeat(digits.length - 6)}${tail}`;
}
