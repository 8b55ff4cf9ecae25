import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_ALGORITHMS,
  checkSignature,
  parseSignature,
  signBody,
} from '../../../src/websub/signature.js';

const SECRET = 'b7f0c3a1e9d24f6a8c5e1b3d7f9a2c4e';
const BODY = Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><title>Pushed</title></feed>');
const hmac = (algorithm: string, secret = SECRET, body = BODY) =>
  crypto.createHmac(algorithm, secret).update(body).digest('hex');

describe('X-Hub-Signature', () => {
  it.each(SIGNATURE_ALGORITHMS.map((a) => [a]))('accepts a body signed with %s', (algorithm) => {
    expect(checkSignature(`${algorithm}=${hmac(algorithm)}`, BODY, [SECRET])).toBe('valid');
    expect(signBody(algorithm, SECRET, BODY)).toBe(`${algorithm}=${hmac(algorithm)}`);
  });

  it.each(SIGNATURE_ALGORITHMS.map((a) => [a]))(
    'refuses a %s signature made with the wrong secret',
    (algorithm) => {
      expect(checkSignature(`${algorithm}=${hmac(algorithm, 'another secret')}`, BODY, [SECRET])).toBe(
        'invalid',
      );
    },
  );

  it.each(SIGNATURE_ALGORITHMS.map((a) => [a]))('refuses a %s signature of another body', (algorithm) => {
    expect(checkSignature(`${algorithm}=${hmac(algorithm, SECRET, Buffer.from('x'))}`, BODY, [SECRET])).toBe(
      'invalid',
    );
  });

  it.each([
    ['no header', undefined, 'unsigned'],
    ['an empty header', '  ', 'unsigned'],
    ['no algorithm', hmac('sha256'), 'invalid'],
    ['an unknown algorithm', `md5=${crypto.createHmac('md5', SECRET).update(BODY).digest('hex')}`, 'invalid'],
    ['a sha256 digest labelled sha1', `sha1=${hmac('sha256')}`, 'invalid'],
    ['a truncated digest', `sha256=${hmac('sha256').slice(0, 40)}`, 'invalid'],
    ['non-hex digits', `sha1=${'z'.repeat(40)}`, 'invalid'],
    ['upper-case algorithm and digest', `SHA256=${hmac('sha256').toUpperCase()}`, 'valid'],
  ] as const)('reads %s as %s', (_, header, expected) => {
    expect(checkSignature(header, BODY, [SECRET])).toBe(expected);
  });

  it('accepts either secret while a hub change leaves two, and none when there is none', () => {
    const header = `sha512=${hmac('sha512', 'old hub secret')}`;
    expect(checkSignature(header, BODY, [SECRET, 'old hub secret'])).toBe('valid');
    expect(checkSignature(header, BODY, [])).toBe('invalid');
  });

  it('parses the algorithm and the digest bytes', () => {
    expect(parseSignature(`sha384=${hmac('sha384')}`)).toEqual({
      algorithm: 'sha384',
      digest: Buffer.from(hmac('sha384'), 'hex'),
    });
    expect(parseSignature('sha1=abc; sha256=def')).toBeUndefined();
  });
});
