import type crypto from 'node:crypto';

// minio-js' own signer, as patched by patches/minio+8.0.7.patch, loaded with a crypto module whose
// createHmac is counted (the signer keeps its own copy of the module's functions).
const realCrypto = jest.requireActual<typeof crypto>('crypto');
const createHmac = jest.fn(realCrypto.createHmac);
jest.mock('crypto', () => ({ ...jest.requireActual('crypto'), createHmac: (...args: Parameters<typeof crypto.createHmac>) => createHmac(...args) }));
// Required, not imported: an import would be hoisted above jest.mock and load the real crypto.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { signV4 } = require('minio/dist/main/signing.js') as typeof import('minio/dist/main/signing.js');

// The "get-vanilla" case of AWS's Signature Version 4 test suite.
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const request = { protocol: 'https:', method: 'GET', path: '/', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' } };
const emptyPayload = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const at = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));
const sign = (secretKey: string, date = at) => signV4(request, 'AKIDEXAMPLE', secretKey, 'us-east-1', date, emptyPayload, 'service');

describe('signing with a cached signing key (patches/minio+8.0.7.patch)', () => {
  beforeEach(() => createHmac.mockClear());

  it('signs as AWS specifies, the first time and every time after', () => {
    const expected =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
    expect(sign(secret)).toBe(expected);
    expect(sign(secret)).toBe(expected);
  });

  it('derives the key once per day and secret: later requests cost one HMAC, keyed by a KeyObject', () => {
    sign(secret);
    createHmac.mockClear();
    sign(secret);
    expect(createHmac).toHaveBeenCalledTimes(1);
    expect(createHmac.mock.calls[0]![1]).toBeInstanceOf(realCrypto.KeyObject);
  });

  it('derives a new key (four HMACs more) for another secret or another day', () => {
    sign(secret);
    createHmac.mockClear();
    expect(sign(`${secret}x`)).not.toBe(sign(secret));
    expect(createHmac).toHaveBeenCalledTimes(4 + 1 + 1);
    createHmac.mockClear();
    sign(secret, new Date(Date.UTC(2015, 7, 31)));
    expect(createHmac).toHaveBeenCalledTimes(4 + 1);
  });
});
