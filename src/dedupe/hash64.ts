/**
 * A small non-cryptographic 64-bit hash of a string, as two 32-bit halves. Dedupe hashes every
 * shingle of every item, where a crypto digest per shingle would dominate the cost; collisions only
 * cost a false "seen", so two independent murmur-style lanes over UTF-16 units are enough.
 */

/** Murmur3's finalizer: a bijection on 32-bit integers that spreads every input bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * One murmur3 round, folding a 32-bit block (or a UTF-16 unit) into a running hash; finish with
 * fmix32. Exposed so a word can be hashed where it stands in a text, without cutting it out first.
 */
export function mix32(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export interface Hash64 {
  hi: number;
  lo: number;
}

export function hash64(s: string, seed = 0): Hash64 {
  let h1 = 0x9e3779b9 ^ seed;
  let h2 = 0x7f4a7c15 ^ Math.imul(seed, 0x27d4eb2f);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = mix32(h1, c);
    let k2 = Math.imul(c, 0x85ebca77);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, 0xc2b2ae3d);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x165667b1) | 0;
  }
  h1 ^= s.length;
  h2 ^= s.length;
  const a = fmix32(h1 ^ Math.imul(h2, 0x9e3779b1));
  const b = fmix32(h2 ^ a);
  return { hi: a, lo: b };
}

/** The first `bytes` bytes (≤ 8) of a 64-bit hash, big-endian, for compact Redis fields. */
export function hashBytes(h: Hash64, bytes: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE(h.hi, 0);
  out.writeUInt32BE(h.lo, 4);
  return out.subarray(0, bytes);
}

/** The story id form of a hash: 12 lower-case hex digits (48 bits). */
export function hashHex48(h: Hash64): string {
  return h.hi.toString(16).padStart(8, '0') + (h.lo >>> 16).toString(16).padStart(4, '0');
}
