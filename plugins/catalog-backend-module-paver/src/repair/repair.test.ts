import { ENGINES, testDatabases } from '@paver/test-utils';
import type { Knex } from 'knex';
import {
  INVALIDATED_HASH,
  repairStitching as repairWithSettle,
  type RepairOptions,
} from './repair';
import {
  ago,
  migrateCatalog,
  insertProcessed,
  refOf,
  requestStitch,
  runStitcher,
  served,
  stateOf,
  type EntityState,
} from '../__testUtils__/testCatalog';

/**
 * Every state a Component can be in after the catalog was cut between two writes, and the healthy
 * states around them, built with the catalog's own code (its migrations, markForStitching and
 * stitcher) and then cut the way an outage cuts them. `repaired` says what the repair must do.
 */
const CASES = {
  healthy: { repaired: 'no' },
  // Processed again and queued: the stitcher will get to it.
  'healthy, re-stitch queued': { repaired: 'no' },
  'processed, stitch queued, not stitched yet': { repaired: 'no' },
  'never processed': { repaired: 'no' },
  // (A) the engine committed the result, then the outage hit before markForStitching.
  'processed, cut before the stitch was queued': { repaired: 'unstitched' },
  'processed, final_entities row with a null final_entity': {
    repaired: 'unstitched',
  },
  // (B) the stitcher wrote final_entities, then the outage hit before the search rows.
  'stitched 5 min ago, cut before its search rows': {
    repaired: 'unsearchable',
  },
  'stitched at an unknown time, cut before its search rows': {
    repaired: 'unsearchable',
  },
  // The stitch died holding its claim: when the claim times out, the stitcher retries with the
  // old hash in place and writes nothing; the repair invalidates it so that retry writes.
  'stitched 5 min ago, cut before its search rows, claim still held': {
    repaired: 'unsearchable',
  },
  // A healthy stitch between its two writes.
  'stitched just now, search rows not written yet': { repaired: 'no' },
  // What a run leaves behind: the next stitch will write the rows.
  'stitched without search rows, already invalidated and queued': {
    repaired: 'no',
  },
  // The stitcher abandons an entity without a processed entity: queuing it would loop forever.
  'stitched without search rows, processed entity gone': { repaired: 'no' },
} as const;
type Case = keyof typeof CASES;

/** The repair without its 2 s settle (the settle has its own test). */
const repairStitching = (db: Knex, options: RepairOptions = {}) =>
  repairWithSettle(db, { settle: async () => {}, ...options });

const names = Object.keys(CASES) as Case[];
const nameOf = (label: Case) => `c${names.indexOf(label)}`;
const labelOf = (ref: string) =>
  names.find(l => refOf(nameOf(l)) === ref) ?? ref;
const where = (repaired: (typeof CASES)[Case]['repaired']) =>
  names.filter(l => CASES[l].repaired === repaired);

async function brokenCatalog(db: Knex): Promise<void> {
  for (const label of names)
    await insertProcessed(db, nameOf(label), {
      processed: label !== 'never processed',
    });
  const stitched = names.filter(
    l =>
      ![
        'never processed',
        'processed, cut before the stitch was queued',
        'processed, stitch queued, not stitched yet',
      ].includes(l),
  );
  await requestStitch(db, stitched.map(nameOf));
  expect(Object.values(await runStitcher(db))).toEqual(
    stitched.map(() => 'changed'),
  );

  const entityId = async (label: Case) =>
    (
      await db('refresh_state')
        .where('entity_ref', refOf(nameOf(label)))
        .first()
    ).entity_id;
  const updateFinal = async (label: Case, patch: Record<string, unknown>) =>
    db('final_entities')
      .where('entity_id', await entityId(label))
      .update(patch);
  const cutBeforeSearch = async (
    label: Case,
    lastUpdatedAt: Knex.Raw | null,
  ) => {
    await db('search')
      .where('entity_id', await entityId(label))
      .delete();
    await updateFinal(label, { last_updated_at: lastUpdatedAt });
  };

  await requestStitch(db, [
    nameOf('healthy, re-stitch queued'),
    nameOf('processed, stitch queued, not stitched yet'),
  ]);
  await updateFinal('processed, final_entities row with a null final_entity', {
    final_entity: null,
  });
  await cutBeforeSearch(
    'stitched 5 min ago, cut before its search rows',
    ago(db, 300),
  );
  await cutBeforeSearch(
    'stitched at an unknown time, cut before its search rows',
    null,
  );
  await cutBeforeSearch(
    'stitched 5 min ago, cut before its search rows, claim still held',
    ago(db, 300),
  );
  await db('stitch_queue').insert({
    entity_ref: refOf(
      nameOf(
        'stitched 5 min ago, cut before its search rows, claim still held',
      ),
    ),
    stitch_ticket: 'ticket-of-the-stitch-that-died',
    next_stitch_at: ago(db, -45),
  });
  await cutBeforeSearch(
    'stitched just now, search rows not written yet',
    db.fn.now(),
  );
  await cutBeforeSearch(
    'stitched without search rows, already invalidated and queued',
    ago(db, 300),
  );
  await updateFinal(
    'stitched without search rows, already invalidated and queued',
    { hash: INVALIDATED_HASH },
  );
  await requestStitch(db, [
    nameOf('stitched without search rows, already invalidated and queued'),
  ]);
  await cutBeforeSearch(
    'stitched without search rows, processed entity gone',
    ago(db, 300),
  );
  await db('refresh_state')
    .where(
      'entity_ref',
      refOf(nameOf('stitched without search rows, processed entity gone')),
    )
    .update({ processed_entity: null });
}

async function states(db: Knex): Promise<Record<Case, EntityState>> {
  return Object.fromEntries(
    await Promise.all(names.map(async l => [l, await stateOf(db, nameOf(l))])),
  ) as Record<Case, EntityState>;
}

describe.each(ENGINES)('repairStitching on %s', engine => {
  const databases = testDatabases(engine, 'catalog_repair');

  const database = async (): Promise<Knex> =>
    migrateCatalog(await databases.database());

  it('queues exactly the entities cut between two catalog writes, and leaves every other row as it was', async () => {
    const db = await database();
    await brokenCatalog(db);
    const before = await states(db);

    const result = await repairStitching(db);
    expect(result.unstitched.map(labelOf).sort()).toEqual(
      where('unstitched').sort(),
    );
    expect(result.unsearchable.map(labelOf).sort()).toEqual(
      where('unsearchable').sort(),
    );

    const after = await states(db);
    for (const label of where('no'))
      expect(after[label], label).toEqual(before[label]);
    const tickets = new Set<string>();
    for (const label of [...where('unstitched'), ...where('unsearchable')]) {
      const { queued, final } = after[label];
      expect(queued, label).not.toBeNull();
      expect(queued!.ticket, label).not.toBe(before[label].queued?.ticket);
      tickets.add(queued!.ticket);
      // A held claim keeps its time (markForStitching replaces only the ticket): the stitcher
      // takes it when the claim times out, with the new ticket.
      expect(queued!.due, label).toBe(
        label !==
          'stitched 5 min ago, cut before its search rows, claim still held',
      );
      expect(final?.hash ?? null, label).toBe(
        before[label].final ? INVALIDATED_HASH : null,
      );
      expect({ ...after[label], queued: null, final: null }, label).toEqual({
        ...before[label],
        queued: null,
        final: null,
      });
    }
    expect(tickets.size, 'one stitch ticket per run, as markForStitching').toBe(
      1,
    );
  });

  it("makes the catalog's own stitcher serve them by name and in filtered lists, where its own retry does not", async () => {
    const db = await database();
    await brokenCatalog(db);
    const processed = names.filter(
      l =>
        ![
          'never processed',
          'stitched without search rows, processed entity gone',
        ].includes(l),
    );
    const allListed = processed.map(nameOf).sort();

    // The catalog's own retry of a stitch cut before the search rows: the hash is unchanged, it
    // writes nothing (backstage/backstage#35734).
    const cutBeforeSearch = nameOf(
      'stitched 5 min ago, cut before its search rows',
    );
    await requestStitch(db, [cutBeforeSearch]);
    expect(await runStitcher(db)).toMatchObject({
      [refOf(cutBeforeSearch)]: 'unchanged',
    });
    expect((await served(db)).listed).not.toContain(cutBeforeSearch);

    expect(await repairStitching(db)).not.toEqual({
      unstitched: [],
      unsearchable: [],
    });
    // Held claims time out (60 s by default).
    await db('stitch_queue').update({ next_stitch_at: ago(db, 1) });
    await runStitcher(db);
    // The stitch that was in flight would have written its rows; here nothing does, so a minute
    // later the repair takes it too.
    let { listed, byName } = await served(db);
    expect(
      allListed
        .filter(n => !listed.includes(n))
        .map(n => names[Number(n.slice(1))]),
    ).toEqual(['stitched just now, search rows not written yet']);
    await db('final_entities').update({ last_updated_at: ago(db, 120) });
    expect(await repairStitching(db)).toEqual({
      unstitched: [],
      unsearchable: [
        refOf(nameOf('stitched just now, search rows not written yet')),
      ],
    });
    await runStitcher(db);

    ({ listed, byName } = await served(db));
    expect(listed.filter(n => allListed.includes(n))).toEqual(allListed);
    expect(byName.filter(n => allListed.includes(n))).toEqual(allListed);
    // Stitched entities carry a real hash again.
    expect(
      Number(
        (
          await db('final_entities')
            .where('hash', INVALIDATED_HASH)
            .count({ n: '*' })
        )[0].n,
      ),
    ).toBe(0);
    // Nothing left to repair, and a run that finds nothing writes nothing.
    expect(await repairStitching(db)).toEqual({
      unstitched: [],
      unsearchable: [],
    });
    expect(
      await db('stitch_queue')
        .count({ n: '*' })
        .then(r => Number(r[0].n)),
    ).toBe(0);
  });

  it('leaves a candidate alone if the catalog completes its write while the run settles', async () => {
    const db = await database();
    for (const n of [
      'between-result-and-stitch-request',
      'between-final-entity-and-search-rows',
      'cut',
    ])
      await insertProcessed(db, n);
    await requestStitch(db, ['between-final-entity-and-search-rows']);
    await runStitcher(db);
    const searchRows = await db('search').select();
    await db('search').delete();
    await db('final_entities').update({ last_updated_at: ago(db, 300) });

    let settled = 0;
    const result = await repairWithSettle(db, {
      // Meanwhile the engine queues the first one's stitch and the stitcher writes the second one's rows.
      settle: async () => {
        settled++;
        await requestStitch(db, ['between-result-and-stitch-request']);
        await db('search').insert(searchRows);
      },
    });
    expect(settled).toBe(1);
    expect(result).toEqual({ unstitched: [refOf('cut')], unsearchable: [] });
    expect(
      (await stateOf(db, 'between-final-entity-and-search-rows')).final?.hash,
    ).not.toBe(INVALIDATED_HASH);
    // A run that finds nothing does not wait.
    await repairWithSettle(db, { settle: async () => void settled++ });
    expect(settled).toBe(1);
  });

  it('queues at most `limit` entities per run; the next runs take the rest', async () => {
    const db = await database();
    const broken = Array.from({ length: 5 }, (_, i) => `unstitched-${i}`);
    for (const n of broken) await insertProcessed(db, n);
    const unsearchable = Array.from(
      { length: 3 },
      (_, i) => `unsearchable-${i}`,
    );
    for (const n of unsearchable) await insertProcessed(db, n);
    await requestStitch(db, unsearchable);
    await runStitcher(db);
    await db('search').delete();
    await db('final_entities').update({ last_updated_at: ago(db, 300) });

    const runs = [];
    for (let i = 0; i < 4; i++) {
      const { unstitched: a, unsearchable: b } = await repairStitching(db, {
        limit: 3,
      });
      runs.push([a.length, b.length]);
    }
    expect(runs).toEqual([
      [3, 0],
      [2, 1],
      [0, 2],
      [0, 0],
    ]);
    const queued = (await db('stitch_queue').select('entity_ref'))
      .map(r => r.entity_ref)
      .sort();
    expect(queued).toEqual([...broken, ...unsearchable].map(refOf).sort());
  });
});
