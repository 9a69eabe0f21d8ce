/**
 * Masks a phone number for logs and events: up to four leading digits (country and area
 * code) and the last two stay, everything between becomes `*` (`+14155552671` →
 * `+1415*****71`). At least five digits are always hidden, so short numbers show less;
 * six digits or fewer are hidden entirely. Works on any string.
 *
 * @example maskPhone('+14155552671') // '+1415*****71'
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return '';
  if (digits.length <= 6) return `+${'*'.repeat(digits.length)}`;
  const head = digits.slice(0, Math.max(0, Math.min(4, digits.length - 7)));
  const tail = digits.slice(-2);
  return `+${head}${'*'.repeat(digits.length - head.length - 2)}${tail}`;
}
