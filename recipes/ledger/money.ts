// Amounts as decimal strings with at most two decimals, held as integer cents (bigint): no binary
// floating point ever touches money.
import createError from '@fastify/error';

export const AmountInvalidError = createError<'COBREW_ERR_AMOUNT_INVALID', 400, [string]>(
  'COBREW_ERR_AMOUNT_INVALID',
  'Amount %s is not usable: write a positive number with at most two decimals and a dot, e.g. 100.00.',
  400,
);

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

export function parseAmount(text: string): bigint {
  const m = AMOUNT.exec(text.trim());
  if (m === null) throw new AmountInvalidError(JSON.stringify(text));
  const cents = BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (cents === 0n) throw new AmountInvalidError(JSON.stringify(text));
  return cents;
}

export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** numerator/denominator cents as a decimal with `places` decimals, cut (not rounded); `exact` says if it is. */
export function formatFraction(
  numerator: bigint,
  denominator: bigint,
  places = 6,
): { text: string; exact: boolean } {
  const scale = 10n ** BigInt(places - 2);
  const scaled = (numerator * scale) / denominator;
  const exact = (numerator * scale) % denominator === 0n;
  const unit = 10n ** BigInt(places);
  const text = `${scaled / unit}.${(scaled % unit).toString().padStart(places, '0')}`;
  return { text, exact };
}
