import { hashPassword, verifyPassword } from '../src/domain/passwords.js';

describe('password hashing', () => {
  it('stores scrypt parameters, a salt and a hash, never the password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
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
});
