import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/deliver/redact.js';

describe('redactUrl', () => {
  it.each([
    [
      'masks the signature of a Teams Workflows URL and keeps the rest',
      'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xy9_secretSig',
      'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=[redacted]',
    ],
    [
      'masks every secret query parameter, whatever its case',
      'https://hooks.example.org/x?token=t1&Key=k2&api_key=k3&apikey=k4&access_token=a5&secret=s6&signature=s7&page=2',
      'https://hooks.example.org/x?token=[redacted]&Key=[redacted]&api_key=[redacted]&apikey=[redacted]&access_token=[redacted]&secret=[redacted]&signature=[redacted]&page=2',
    ],
    [
      'keeps a fragment after a masked value',
      'https://hooks.example.org/x?sig=abc#top',
      'https://hooks.example.org/x?sig=[redacted]#top',
    ],
    [
      'masks the password of the userinfo, not the user',
      'smtps://alerts:hunter2secret@mail.example.org:465',
      'smtps://alerts:[redacted]@mail.example.org:465',
    ],
    [
      'leaves parameters that only end like a secret alone',
      'https://hooks.example.org/x?monkey=1&designature=2',
      'https://hooks.example.org/x?monkey=1&designature=2',
    ],
    [
      'leaves a URL without credentials as written',
      'https://hooks.example.org/mw',
      'https://hooks.example.org/mw',
    ],
  ])('%s', (_, url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('also masks the secrets it is given, wherever they are in the URL', () => {
    expect(redactUrl('https://api.example.org/bot123:ABCsecret/sendMessage', ['123:ABCsecret'])).toBe(
      'https://api.example.org/bot[redacted]/sendMessage',
    );
  });
});
