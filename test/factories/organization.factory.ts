import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Organization } from '../../src/database/entities/organization.entity';

export const organizationFactory = {
  build(overrides: Partial<Organization> = {}): Partial<Organization> {
    const suffix = randomBytes(3).toString('hex');
    return { name: `Org ${suffix}`, slug: `org-${suffix}`, settings: { autoRepliesEnabled: true }, ...overrides };
  },
  create(ds: DataSource, overrides: Partial<Organization> = {}): Promise<Organization> {
    return ds.getRepository(Organization).save(this.build(overrides));
  },
};
