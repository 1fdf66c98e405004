/**
 * A fast non-cryptographic hash of text, for identities where no security depends on the hash (a
 * transcript line's id made from what tells it apart): no secret goes in, and nobody gains by
 * making two lines collide other than hiding one of their own lines from their own transcript.
 *
 * SHA-256 (`node:crypto`) cost a chat stream 1 µs of native call and hex formatting per
 * line (the bench's throughput); this is two independent 32-bit multiply–xorshift lanes over the
 * UTF-16 code units (the cyrb53 construction, both lanes kept: 64 bits) [I]. Over the few thousand
 * lines of one chat, sharing one index, a collision is about 1 in 10^12.
 */

/**
 * The 64-bit hash of `text`, as 16 lowercase hex digits. Pure and stable across runs and machines
 * (same text, same hash); not for passwords, tokens or anything an attacker chooses to collide.
 */
export function fastHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return hex64(h1, h2);
}

/**
 * {@link fastHash} of a list of parts, with no text made of them first: each part goes in with its
 * kind and length, so that no two lists share an encoding (`["ab", "c"]` ≠ `["a", "bc"]`, `1` ≠
 * `"1"`, `null` ≠ `"null"`) — what `JSON.stringify` of the list gave, without the text (a chat
 * line's id was half its routing) [I]. Pure and stable across runs and machines; same caveats as
 * {@link fastHash}.
 * @returns 16 lowercase hex digits.
 */
export function fastHashOf(parts: ReadonlyArray<string | number | null | undefined>): string {
  // The two lanes are locals, each step written out (a shared helper writing module variables was
  // a tenth of a chat stream's parse path) [I]; the steps and their order are as they were.
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (const part of parts) {
    if (part === null || part === undefined) {
      a = Math.imul(a ^ 0x6e, 2654435761); // 'n'
      b = Math.imul(b ^ 0x6e, 1597334677);
    } else if (typeof part === 'number') {
      if (Number.isSafeInteger(part)) {
        // 'i', then the low and the high 32 bits
        const low = part | 0;
        const high = Math.floor(part / 0x1_0000_0000) | 0;
        a = Math.imul(a ^ 0x69, 2654435761);
        b = Math.imul(b ^ 0x69, 1597334677);
        a = Math.imul(a ^ low, 2654435761);
        b = Math.imul(b ^ low, 1597334677);
        a = Math.imul(a ^ high, 2654435761);
        b = Math.imul(b ^ high, 1597334677);
      } else {
        // 'f', then the number as text
        const text = String(part);
        a = Math.imul(a ^ 0x66, 2654435761);
        b = Math.imul(b ^ 0x66, 1597334677);
        a = Math.imul(a ^ text.length, 2654435761);
        b = Math.imul(b ^ text.length, 1597334677);
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          a = Math.imul(a ^ c, 2654435761);
          b = Math.imul(b ^ c, 1597334677);
        }
      }
    } else {
      // 's', then the length and the code units
      a = Math.imul(a ^ 0x73, 2654435761);
      b = Math.imul(b ^ 0x73, 1597334677);
      a = Math.imul(a ^ part.length, 2654435761);
      b = Math.imul(b ^ part.length, 1597334677);
      for (let i = 0; i < part.length; i++) {
        const c = part.charCodeAt(i);
        a = Math.imul(a ^ c, 2654435761);
        b = Math.imul(b ^ c, 1597334677);
      }
    }
  }
  return hex64(a, b);
}

/** The cyrb53 finish of two lanes, as 16 lowercase hex digits (the first lane's 8, then the second's). */
function hex64(a: number, b: number): string {
  let h1 = Math.imul(a ^ (a >>> 16), 2246822507);
  h1 ^= Math.imul(b ^ (b >>> 13), 3266489909);
  let h2 = Math.imul(b ^ (b >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // Each lane's 8 hex digits, most significant first, made as one string: `toString(16)` and
  // `padStart` of each lane were most of a line id's cost [I].
  return String.fromCharCode(
    HEX[(h1 >>> 28) & 15]!,
    HEX[(h1 >>> 24) & 15]!,
    HEX[(h1 >>> 20) & 15]!,
    HEX[(h1 >>> 16) & 15]!,
    HEX[(h1 >>> 12) & 15]!,
    HEX[(h1 >>> 8) & 15]!,
    HEX[(h1 >>> 4) & 15]!,
    HEX[h1 & 15]!,
    HEX[(h2 >>> 28) & 15]!,
    HEX[(h2 >>> 24) & 15]!,
    HEX[(h2 >>> 20) & 15]!,
    HEX[(h2 >>> 16) & 15]!,
    HEX[(h2 >>> 12) & 15]!,
    HEX[(h2 >>> 8) & 15]!,
    HEX[(h2 >>> 4) & 15]!,
    HEX[h2 & 15]!,
  );
}

/** The character codes of the lowercase hex digits 0–f. */
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
