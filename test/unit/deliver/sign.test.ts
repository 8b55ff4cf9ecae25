import { describe, expect, it } from 'vitest';
import { signature, signedHeaders, verify } from '../../../src/deliver/sign.js';

// The Standard Webhooks specification's published test vector: matching it is what lets a
// receiver verify mediawatch alerts with any of that specification's libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const OTHER = 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==';

describe('Standard Webhooks signatures', () => {
  it('reproduces the specification test vector', () => {
    expect(signature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('sends the id, the timestamp and one signature per secret during a rotation', () => {
    const h = signedHeaders([VECTOR.secret, OTHER], VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(h['webhook-id']).toBe(VECTOR.id);
    expect(h['webhook-timestamp']).toBe('1614265330');
    expect(h['webhook-signature'].split(' ')).toEqual([
      VECTOR.signature,
      signature(OTHER, VECTOR.id, VECTOR.timestamp, VECTOR.body),
    ]);
    expect(verify(OTHER, { ...h }, VECTOR.body)).toBe(true);
    expect(verify(VECTOR.secret, { ...h }, VECTOR.body)).toBe(true);
  });

  it.each([
    ['an altered body', { body: '{"test": 2432232315}' }],
    ['another id', { id: 'msg_other' }],
    ['another timestamp', { timestamp: 1614265331 }],
  ])('does not verify with %s', (_, change) => {
    const v = { ...VECTOR, ...change };
    const headers = {
      'webhook-id': v.id,
      'webhook-timestamp': String(v.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    expect(verify(VECTOR.secret, headers, v.body)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance when the receiver gives its clock', () => {
    const headers = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    expect(verify(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 10)).toBe(true);
    expect(verify(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 3600)).toBe(false);
  });
});
