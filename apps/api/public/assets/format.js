// Vietnamese formatting. Money arrives as digit strings and stays exact: BigInt, never a float.
const whole = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 1 });
const BILLION = 1_000_000_000n;
const MILLION = 1_000_000n;

/** 1539 → "1.539" */
export const count = (n) => whole.format(n);

/** "10003500000" → "10.003.500.000 đ" */
export const money = (digits) => `${whole.format(BigInt(digits))} đ`;

/** "+6500000" → "+6.500.000 đ", "-1000" → "−1.000 đ" */
export function signedMoney(text) {
  const value = BigInt(text);
  return value < 0n ? `−${money(-value)}` : `+${money(value)}`;
}

/**
 * The way reports round large sums: "10003500000" → "trên 10 tỷ đồng", "2500000000" → "2,5 tỷ đồng",
 * "7000000" → "7 triệu đồng". Truncated, never rounded up, and "trên" says something was cut off.
 */
export function moneyInWords(digits) {
  const value = BigInt(digits);
  const [unit, name] = value >= BILLION ? [BILLION, 'tỷ'] : value >= MILLION ? [MILLION, 'triệu'] : [1n, ''];
  if (unit === 1n) return `${whole.format(value)} đồng`;
  const tenths = (value * 10n) / unit;
  const shown = tenths % 10n === 0n ? whole.format(tenths / 10n) : `${whole.format(tenths / 10n)},${tenths % 10n}`;
  return `${tenths * unit === value * 10n ? '' : 'trên '}${shown} ${name} đồng`;
}

/** 256.5 → "256,5 %"; a unit without a quota has no attainment. */
export const percent = (p) => (p === null || p === undefined ? '—' : `${oneDecimal.format(p)} %`);

/** Attainment of summed figures, to one decimal like the API's own rows. */
export const attainment = (counted, quota) => (quota > 0 ? Math.round((counted * 1000) / quota) / 10 : null);

/** A Vietnam local date "2022-05-31" → "31/05/2022" (no Date: a local date has no time zone to shift). */
export function date(localDate) {
  if (!localDate) return '—';
  const [y, m, d] = localDate.split('-');
  return `${d}/${m}/${y}`;
}

const vietnamTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant "2022-05-31T20:00:00Z" → "01/06/2022 03:00", in Hà Nội time. */
export function dateTime(instant) {
  const parts = Object.fromEntries(vietnamTime.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** Seconds → "1 phút 5 giây". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} phút ${s % 60} giây` : `${s} giây`;
}

/** The sum of digit strings, as digits. */
export const sumMoney = (values) => values.reduce((total, v) => total + BigInt(v), 0n).toString();
