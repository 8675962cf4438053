import { carriesMarker, markedDescription, taskMarker } from './marker';

describe('taskMarker', () => {
  it('uses a Backstage task id (a lower-case UUID) as the topic as it is', () => {
    const id = '0b6a4e1c-7d2f-4c1e-9a55-3f2b8c1d9e77';
    expect(taskMarker(id).topic).toBe(`paver-task-${id}`);
  });

  it.each(['Task_42', 'a'.repeat(60), 'ABC-def'])(
    'hashes %s into a valid GitHub topic',
    id => {
      expect(taskMarker(id).topic).toMatch(/^paver-task-[a-f0-9]{32}$/);
    },
  );

  it('gives ids that differ only in case different topics', () => {
    expect(taskMarker('ABC-def').topic).not.toBe(taskMarker('abc-def').topic);
  });

  it('recognises a repository by topic, or by the description tag given at creation', () => {
    const marker = taskMarker('task-1');
    expect(
      carriesMarker({ topics: [marker.topic], description: null }, marker),
    ).toBe(true);
    expect(
      carriesMarker(
        { topics: [], description: markedDescription('Billing', marker) },
        marker,
      ),
    ).toBe(true);
    expect(
      carriesMarker(
        { topics: ['paver-task-task-2'], description: '[paver:task-2]' },
        marker,
      ),
    ).toBe(false);
  });

  it('does not take another task whose id starts the same for ours', () => {
    const marker = taskMarker('task-1');
    expect(carriesMarker({ description: 'x [paver:task-10]' }, marker)).toBe(
      false,
    );
  });
});
