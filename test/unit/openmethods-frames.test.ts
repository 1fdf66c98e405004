/**
 * The OpenMethods frame decoder (`~!OM` + uint8 protocol index + uint32 BE length + body): any
 * chunking of any frame sequence decodes to the same frames; a bad boundary and an over-long
 * length are protocol errors, reported with the frames before them intact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FRAME_HEADER_BYTES, FrameDecoder, MAX_FRAME_BODY_BYTES, encodeFrame, encodeJsonFrame, readJsonBody, type Frame } from '../../main/vendors/openmethods/transport.js';

/** Splits `bytes` at the given cut points (sorted, deduplicated, inside the buffer). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

function decodeAll(chunks: Buffer[], decoder = new FrameDecoder()): { frames: Frame[]; error?: Error } {
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    const result = decoder.push(chunk);
    frames.push(...result.frames);
    if (result.error) return { frames, error: result.error };
  }
  return { frames };
}

const frameArb = fc.record({
  protocol: fc.integer({ min: 0, max: 255 }),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')),
  ),
});

describe('OpenMethods frames', () => {
  it('property: any chunking of any frame sequence decodes to the same frames, in order', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (frames, cuts) => {
        const stream = Buffer.concat(frames.map((f) => encodeFrame(f.protocol, f.body)));
        const { frames: decoded, error } = decodeAll(chunked(stream, cuts));
        assert.equal(error, undefined);
        assert.deepEqual(
          decoded.map((f) => ({ protocol: f.protocol, body: Buffer.from(f.body) })),
          frames.map((f) => ({ protocol: f.protocol, body: Buffer.from(f.body) })),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('property: JSON messages survive byte-by-byte delivery and one-chunk delivery alike', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }), (values) => {
        const stream = Buffer.concat(values.map((v) => encodeJsonFrame(1, v)));
        const bytewise = decodeAll([...stream].map((b) => Buffer.from([b])));
        const whole = decodeAll([stream]);
        const read = (fs: Frame[]): unknown[] => fs.map((f) => readJsonBody(f.body).value);
        assert.deepEqual(read(bytewise.frames), read(whole.frames));
        assert.deepEqual(read(whole.frames), JSON.parse(JSON.stringify(values)));
      }),
      { numRuns: 150 },
    );
  });

  it('property: garbage where a boundary belongs is a protocol error, after the whole frames before it', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 5 }),
        fc.uint8Array({ minLength: 1, maxLength: 12 }).filter((g) => g[0] !== 0x7e),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, garbage, cuts) => {
          const stream = Buffer.concat([...frames.map((f) => encodeFrame(f.protocol, f.body)), Buffer.from(garbage)]);
          const { frames: decoded, error } = decodeAll(chunked(stream, cuts));
          assert.equal(decoded.length, frames.length);
          assert.match(String(error?.message), /no frame boundary/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a length over 1 MiB is a protocol error as soon as the header is complete, whatever follows', () => {
    const header = encodeFrame(1, Buffer.alloc(MAX_FRAME_BODY_BYTES + 1), Number.POSITIVE_INFINITY).subarray(0, FRAME_HEADER_BYTES);
    const ok = encodeJsonFrame(1, { messageType: 'pong' });
    const { frames, error } = decodeAll([ok, header.subarray(0, 5), header.subarray(5)]);
    assert.equal(frames.length, 1);
    assert.match(String(error?.message), /over the 1048576-byte limit/);
  });

  it('a body of exactly 1 MiB is a frame', () => {
    const body = Buffer.alloc(MAX_FRAME_BODY_BYTES, 0x61);
    const { frames, error } = decodeAll(chunked(encodeFrame(1, body), [7, 70_000, 500_000]));
    assert.equal(error, undefined);
    assert.equal(frames[0]?.body.length, MAX_FRAME_BODY_BYTES);
  });

  it('a broken decoder takes nothing more (the connection is closing)', () => {
    const decoder = new FrameDecoder();
    assert.ok(decoder.push(Buffer.from('~!OX')).error);
    const again = decoder.push(encodeJsonFrame(1, {}));
    assert.deepEqual(again.frames, []);
    assert.ok(again.error);
  });

  it('the encoder writes the contract’s header: ~!OM, the index, the big-endian length', () => {
    const frame = encodeFrame(7, 'é');
    assert.deepEqual([...frame], [0x7e, 0x21, 0x4f, 0x4d, 7, 0, 0, 0, 2, 0xc3, 0xa9]);
    assert.throws(() => encodeFrame(256, ''), RangeError);
    assert.throws(() => encodeFrame(1, Buffer.alloc(MAX_FRAME_BODY_BYTES + 1)), RangeError);
  });

  it('a body that is not UTF-8 JSON says why', () => {
    assert.ok(readJsonBody(Buffer.from('{"a":')).problem);
    assert.ok(readJsonBody(Buffer.from([0x22, 0xff, 0x22])).problem);
    assert.deepEqual(readJsonBody(Buffer.from('{"a":1}')).value, { a: 1 });
  });
});
