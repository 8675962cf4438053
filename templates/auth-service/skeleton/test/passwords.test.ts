import { hashPassword, needsRehash, verifyPassword } from '../src/domain/passwords.js';

describe('password hashing', () => {
  it('stores scrypt parameters, a salt and a hash, never the password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    // OWASP's scrypt parameters: N=2^17, r=8, p=1.
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(stored).not.toContain('horse');
  });

  it('salts each hash, so equal passwords give different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
  });

  it('treats a malformed stored hash as an error rather than a mismatch', async () => {
    await expect(verifyPassword('anything at all', 'plaintext-password')).rejects.toThrow(/scrypt\$N\$r\$p\$salt\$hash/);
  });

  it('still verifies hashes made with older, cheaper parameters, and flags them for rehashing', async () => {
    const legacy = await hashPassword('correct horse battery staple', { N: 2 ** 15, r: 8, p: 1 });
    expect(legacy).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', legacy)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
  });

  it('refuses stored parameters beyond the memory it allows instead of allocating them', async () => {
    const salt = Buffer.alloc(16).toString('base64url');
    const hash = Buffer.alloc(64).toString('base64url');
    await expect(verifyPassword('anything at all', `scrypt$${2 ** 24}$8$1$${salt}$${hash}`)).rejects.toThrow(/more scrypt memory/);
    await expect(verifyPassword('anything at all', `scrypt$1000$8$1$${salt}$${hash}`)).rejects.toThrow(/invalid scrypt parameters N=1000/);
  });
});
