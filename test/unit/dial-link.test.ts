/**
 * `tel:` and `callto:` links → a dialable number (main/desk/dial-link.ts): real-world link forms,
 * refusals with their reasons, and a property: any string gives a dialable number or a reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DIALABLE } from '../../common/dial.js';
import { parseDialLink } from '../../main/desk/dial-link.js';

const number = (link: string): string | undefined => {
  const result = parseDialLink(link);
  return result.ok ? result.number : undefined;
};
const reason = (link: string): string => {
  const result = parseDialLink(link);
  assert.equal(result.ok, false, `${link} should be refused, got ${JSON.stringify(result)}`);
  return result.ok ? '' : result.reason;
};

describe('tel: links', () => {
  const cases: Array<[string, string]> = [
    ['tel:+1-201-555-0123', '+12015550123'], // RFC 3966 §6 example
    ['tel:+358401234567', '+358401234567'],
    ['TEL:+44 20 7946 0958', '+442079460958'], // scheme case, spaces
    ['tel:+1%20(555)%20123-4567', '+15551234567'], // percent-encoded spaces, brackets
    ['tel:%2B15551234567', '+15551234567'], // an encoded +
    ['tel:+1.555.123.4567', '+15551234567'], // dots
    ['tel://+15551234567', '+15551234567'], // tel:// as pages write it
    ['tel:0401234567', '0401234567'], // local, no context
    ['tel:7042;phone-context=example.com', '7042'], // domain context: the PBX's own
    ['tel:863-1234;phone-context=+1-914-555', '+19145558631234'], // RFC 3966 §6 example
    ['tel:*100#', '*100#'], // service codes, as pages write them
    ['tel:*100%23', '*100#'], // and as RFC 3966 wants them
    ['tel:+49 (0)30 1234567'.replace('(0)', ''), '+49301234567'],
    ['tel:+1/555/1234567', '+15551234567'],
    ['tel:+33\u00a01\u00a023\u00a045\u00a067\u00a089', '+33123456789'], // no-break spaces (French pages)
    ['  tel:+15551234567\n', '+15551234567'], // surrounding whitespace
    ['tel:+15551234567?foo=bar', '+15551234567'], // a query is ignored
    ['tel:+15551234567;isub=1411', '+15551234567'], // isub ignored
  ];
  for (const [link, expected] of cases) {
    it(`reads ${JSON.stringify(link)} as ${expected}`, () => assert.equal(number(link), expected));
  }

  it('gives an extension back on its own', () => {
    assert.deepEqual(parseDialLink('tel:+1-201-555-0123;ext=1234'), { ok: true, number: '+12015550123', extension: '1234', link: 'tel:+1-201-555-0123;ext=1234' });
  });

  it('refuses what no platform can dial, saying why', () => {
    assert.match(reason('tel:1-800-FLOWERS'), /not a phone number/);
    assert.match(reason('tel:+1555p1234'), /not a phone number/);
    assert.match(reason('tel:'), /no phone number/);
    assert.match(reason('tel:+'), /no phone number/);
    assert.match(reason('tel:5'), /too short/);
    assert.match(reason(`tel:+${'1'.repeat(40)}`), /longer than 32 digits/);
    assert.match(reason('tel:+1%ZZ555'), /percent-encoding/);
    assert.match(reason('tel:+1-555+1234'), /not a phone number/);
    assert.match(reason('tel:+15551234567;ext=abc'), /extension/);
    assert.match(reason('https://example.com/tel:+1555'), /Only tel: and callto:/);
    assert.match(reason('javascript:alert(1)'), /Only tel: and callto:/);
    assert.match(reason(`tel:+1${'5'.repeat(3000)}`), /too long/);
  });
});

describe('callto: links', () => {
  it('reads numbers', () => {
    assert.equal(number('callto:+15551234567'), '+15551234567');
    assert.equal(number('callto://+15551234567'), '+15551234567');
    assert.equal(number('callto:+1 555 123 4567?call'), '+15551234567');
    assert.equal(number('CALLTO://%2B44-20-7946-0958'), '+442079460958');
  });
  it('refuses Skype names with a clear reason', () => {
    assert.match(reason('callto:echo123'), /“echo123” is a Skype name, not a phone number/);
    assert.match(reason('callto://john.doe'), /“john.doe” is a Skype name/);
    assert.match(reason('callto://live:john_1?call'), /Skype name/);
    assert.match(reason('callto:'), /no phone number/);
  });
});

describe('any link', () => {
  it('never throws: a dialable number or a reason, and a short display form', () => {
    const links = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }).map((s) => `tel:${s}`),
      fc.string({ unit: 'grapheme-ascii' }).map((s) => `callto://${s}`),
      fc.tuple(fc.constantFrom('tel:', 'callto:', 'TEL://'), fc.array(fc.constantFrom('+', '1', '9', '-', ' ', '(', ')', '.', '%20', '%2B', ';ext=', ';phone-context=', '*', '#', 'a', '%'), { maxLength: 40 })).map(
        ([scheme, parts]) => scheme + parts.join(''),
      ),
    );
    fc.assert(
      fc.property(links, (link) => {
        const result = parseDialLink(link);
        assert.ok(result.link.length <= 80);
        if (result.ok) assert.match(result.number, DIALABLE);
        else assert.ok(result.reason.length > 0);
      }),
      { numRuns: 3000 },
    );
  });
  it('refuses what is not a string', () => {
    assert.equal(parseDialLink(undefined).ok, false);
    assert.equal(parseDialLink(42).ok, false);
  });
});
