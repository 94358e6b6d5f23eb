import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashSecret } from '../../src/common/crypto';
import { UserRole } from '../../src/database/entities/enums';
import { User } from '../../src/database/entities/user.entity';

export const DEFAULT_TEST_PASSWORD = 'test-password-123';

export const userFactory = {
  build(overrides: Partial<User> = {}): Partial<User> {
    return { email: `user-${randomBytes(4).toString('hex')}@test.conversa`, name: 'Test User', role: UserRole.Admin, isActive: true, ...overrides };
  },
  async create(ds: DataSource, overrides: Partial<User> & { organizationId: string }, password = DEFAULT_TEST_PASSWORD): Promise<User> {
    const saved = await ds.getRepository(User).save({ ...this.build(overrides), passwordHash: await hashSecret(password) });
    return ds.getRepository(User).findOneByOrFail({ id: saved.id });
  },
};
