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
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
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
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  for (const part of parts) {
    if (part === null || part === undefined) {
      mix(0x6e); // 'n'
    } else if (typeof part === 'number') {
      if (Number.isSafeInteger(part)) {
        mix(0x69); // 'i', then the low and the high 32 bits
        mix(part | 0);
        mix(Math.floor(part / 0x1_0000_0000) | 0);
      } else {
        const text = String(part);
        mix(0x66); // 'f', then the number as text
        mix(text.length);
        for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
      }
    } else {
      mix(0x73); // 's'
      mix(part.length);
      for (let i = 0; i < part.length; i++) mix(part.charCodeAt(i));
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** {@link fastHashOf}'s two lanes while it runs (it runs to its end at once: nothing else can interleave). */
let h1 = 0;
let h2 = 0;

function mix(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}
