// Positions and room names of the wire protocol (docs/PROTOCOL.md), and small helpers the
// session and its transports share.

export const ROOM = /^[A-Za-z0-9_.-]{1,100}$/;
const OFFSET = /^\d{1,20}(-\d{1,20})?$/;

/** Compares two offsets of one room numerically: MAJOR first, then MINOR (a missing MINOR is 0). */
export function compareOffsets(a, b) {
  const [a1, a2 = '0'] = a.split('-');
  const [b1, b2 = '0'] = b.split('-');
  const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(BigInt(a1), BigInt(b1)) || cmp(BigInt(a2), BigInt(b2));
}

export function isPosition(p) {
  return p != null && typeof p === 'object' && typeof p.epoch === 'string' && p.epoch !== ''
    && typeof p.offset === 'string' && OFFSET.test(p.offset);
}

// An app callback that throws must not break the connection; report it like an uncaught error.
export function safely(fn, ...args) {
  try {
    if (typeof fn === 'function') fn(...args);
  } catch (e) {
    (typeof reportError === 'function' ? reportError : console.error)(e);
  }
}

// Retry-After is seconds or an HTTP date.
export function retryAfterMillis(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
