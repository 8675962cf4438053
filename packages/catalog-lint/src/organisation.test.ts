import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { onCallAt, parseSchedule } from '@paver/plugin-paver-common';
import { loadCatalog } from './load';
import { onCallProblems } from './onCall';
import { formatProblem } from './problems';
import { entityRefOf, findEntity } from './refs';
import type { LoadedCatalog } from './types';
import { validateCatalog } from './validate';

// The organisation the backend loads through catalog/all.yaml.
const CATALOG_DIR = path.resolve(__dirname, '../../../catalog');

const TEAMS = ['identity', 'payments', 'messaging', 'analytics', 'platform'];
const SYSTEMS: Record<string, { domain: string; owner: string }> = {
  'identity-platform': { domain: 'identity', owner: 'identity' },
  billing: { domain: 'payments', owner: 'payments' },
  notifications: { domain: 'messaging', owner: 'messaging' },
  'analytics-pipeline': { domain: 'analytics', owner: 'analytics' },
  'developer-portal': { domain: 'platform', owner: 'platform' },
};
// Refs the golden-path fixtures use; a template pointing at a missing owner fails at create time.
const GOLDEN_PATH_REFS = [
  'group:default/identity',
  'group:default/payments',
  'group:default/messaging',
  'system:default/identity-platform',
  'system:default/billing',
  'system:default/notifications',
];

describe('the organisation catalog', () => {
  let loaded: LoadedCatalog;
  const ofKind = (kind: string): Entity[] =>
    loaded.entities
      .filter(item => item.entity.kind === kind)
      .map(item => item.entity);
  const spec = (entity: Entity) => entity.spec as Record<string, any>;

  beforeAll(async () => {
    loaded = await loadCatalog(CATALOG_DIR);
  });

  it('validates with zero problems', async () => {
    expect((await validateCatalog(loaded)).map(formatProblem)).toEqual([]);
  });

  it('passes the rules the on-call relies on', () => {
    expect(onCallProblems(loaded).map(formatProblem)).toEqual([]);
  });

  it('holds one entity per file, in the folder named for its kind', () => {
    const folders: Record<string, string> = {
      Group: 'groups',
      User: 'users',
      Domain: 'domains',
      System: 'systems',
      Resource: 'schedules',
      Location: '',
    };
    expect(new Set(loaded.entities.map(item => item.file)).size).toBe(
      loaded.entities.length,
    );
    for (const { entity, file } of loaded.entities) {
      const folder = folders[entity.kind];
      const expected = folder
        ? `catalog/${folder}/${entity.metadata.name}.yaml`
        : 'catalog/all.yaml';
      expect(file).toBe(expected);
    }
  });

  it('has the engineering department with the five teams as children', () => {
    const engineering = findEntity(loaded, 'group:default/engineering')!.entity;
    expect(spec(engineering).type).toBe('department');
    expect(spec(engineering).children).toEqual(
      TEAMS.map(team => `group:default/${team}`),
    );
    expect(
      ofKind('Group')
        .map(g => g.metadata.name)
        .sort(),
    ).toEqual(['engineering', ...TEAMS].sort());
  });

  it.each(TEAMS)(
    'has the %s team with a profile, a parent and its on-call rotation',
    team => {
      const entity = findEntity(loaded, `group:default/${team}`)!.entity;
      expect(spec(entity)).toMatchObject({
        type: 'team',
        parent: 'group:default/engineering',
      });
      expect(spec(entity).profile.displayName).toEqual(expect.any(String));
      expect(spec(entity).profile.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(entity.metadata.annotations?.['paver.dev/oncall']).toBe(
        `${team}-primary`,
      );
    },
  );

  it.each(TEAMS)(
    'has two or three users in the %s team, each with a profile',
    team => {
      const members = ofKind('User').filter(u =>
        spec(u).memberOf.includes(`group:default/${team}`),
      );
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(members.length).toBeLessThanOrEqual(3);
      for (const member of members) {
        expect(spec(member).profile).toEqual({
          displayName: expect.any(String),
          email: expect.stringContaining('@'),
        });
      }
    },
  );

  it.each(TEAMS)(
    'has the %s-primary schedule its team names, owned by the team and rotating its users',
    team => {
      const found = findEntity(loaded, `resource:default/${team}-primary`)!;
      expect(found.file).toBe(`catalog/schedules/${team}-primary.yaml`);
      expect(spec(found.entity)).toMatchObject({
        type: 'on-call-schedule',
        owner: `group:default/${team}`,
      });
      const teamUsers = ofKind('User')
        .filter(u => spec(u).memberOf.includes(`group:default/${team}`))
        .map(u => `user:default/${u.metadata.name}`);
      const schedule = parseSchedule(spec(found.entity).schedule);
      expect([...schedule.members].sort()).toEqual(teamUsers.sort());
    },
  );

  it.each(TEAMS)(
    'escalates %s from the person on call to a lead of the team, then to platform-primary',
    team => {
      const entity = findEntity(loaded, `resource:default/${team}-primary`)!;
      const { escalation, members } = parseSchedule(
        spec(entity.entity).schedule,
      );
      expect(escalation[0]).toEqual({
        afterMinutes: 0,
        targets: [{ type: 'on-call' }],
      });
      expect(escalation[1].targets).toEqual([
        { type: 'user', ref: expect.any(String) },
      ]);
      expect(members).toContain(
        (escalation[1].targets[0] as { ref: string }).ref,
      );
      // Platform is where the other teams' escalations end.
      expect(escalation.slice(2).map(level => level.targets)).toEqual(
        team === 'platform'
          ? []
          : [[{ type: 'schedule', ref: 'resource:default/platform-primary' }]],
      );
    },
  );

  it('has li.wei on call for payments at 09:30 Berlin on Monday 9 March 2026', () => {
    // Weekly from Monday 5 January 09:00 CET; 9 March is 63 days = 9 weeks later, 9 mod 3 = 0.
    const entity = findEntity(loaded, 'resource:default/payments-primary')!;
    const schedule = parseSchedule(spec(entity.entity).schedule);
    const { now } = onCallAt(schedule, new Date('2026-03-09T08:30:00Z'));
    expect(now).toEqual({
      user: 'user:default/li.wei',
      from: new Date('2026-03-09T08:00:00Z'),
      until: new Date('2026-03-16T08:00:00Z'),
    });
  });

  it('has the five domains, each owned by its team', () => {
    expect(ofKind('Domain').map(d => [d.metadata.name, spec(d).owner])).toEqual(
      expect.arrayContaining(
        TEAMS.map(team => [team, `group:default/${team}`]),
      ),
    );
    expect(ofKind('Domain')).toHaveLength(5);
  });

  it.each(Object.entries(SYSTEMS))(
    'has the %s system in its domain, owned by its team',
    (name, { domain, owner }) => {
      const entity = findEntity(loaded, `system:default/${name}`)!.entity;
      expect(spec(entity)).toMatchObject({
        owner: `group:default/${owner}`,
        domain: `domain:default/${domain}`,
      });
    },
  );

  it('has exactly the five systems', () => {
    expect(
      ofKind('System')
        .map(s => s.metadata.name)
        .sort(),
    ).toEqual(Object.keys(SYSTEMS).sort());
  });

  it.each(GOLDEN_PATH_REFS)(
    'has %s, which golden-path fixtures reference',
    ref => {
      expect(
        findEntity(loaded, ref) && entityRefOf(findEntity(loaded, ref)!.entity),
      ).toBe(ref);
    },
  );

  it('lists every other file in all.yaml', () => {
    const root = findEntity(loaded, 'location:default/paver-organisation')!;
    expect(root.file).toBe('catalog/all.yaml');
    const targets = (spec(root.entity).targets as string[]).map(
      t => `catalog/${t.replace(/^\.\//, '')}`,
    );
    expect(targets.sort()).toEqual(
      loaded.files.filter(file => file !== 'catalog/all.yaml').sort(),
    );
  });
});
