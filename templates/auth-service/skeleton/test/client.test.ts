import { clientFingerprint, clientIp } from '../src/domain/client.js';

describe('the client address behind the ingress', () => {
  it('takes the entry the trusted proxy appended, not the ones the client wrote', () => {
    const headers = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' };
    expect(clientIp(headers, 1)).toBe('203.0.113.7');
    expect(clientIp(headers, 2)).toBe('198.51.100.1');
  });

  it('knows no address without the header, with too few hops, with 0 trusted hops or with garbage', () => {
    expect(clientIp({}, 1)).toBeUndefined();
    expect(clientIp({ 'x-forwarded-for': '203.0.113.7' }, 2)).toBeUndefined();
    expect(clientIp({ 'x-forwarded-for': '203.0.113.7' }, 0)).toBeUndefined();
    expect(clientIp({ 'x-forwarded-for': 'not-an-address' }, 1)).toBeUndefined();
  });

  it('fingerprints a client by address and user agent', () => {
    const a = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'app/1' };
    expect(clientFingerprint(a, 1)).toBe(clientFingerprint({ ...a }, 1));
    expect(clientFingerprint(a, 1)).not.toBe(clientFingerprint({ ...a, 'x-forwarded-for': '203.0.113.8' }, 1));
    expect(clientFingerprint(a, 1)).not.toBe(clientFingerprint({ ...a, 'user-agent': 'app/2' }, 1));
  });
});
