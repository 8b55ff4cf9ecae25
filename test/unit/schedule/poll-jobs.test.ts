import { describe, expect, it } from 'vitest';
import {
  groupBySchedule,
  pollJobId,
  pollJobsForTick,
  spreadWindow,
  tickOf,
} from '../../../src/schedule/poll-jobs.js';

describe('poll jobs per scheduler tick', () => {
  it('gives every scheduler the same job id for a feed and tick, whenever its timer fired', () => {
    const a = pollJobsForTick([{ id: 'world' }], new Date('2026-11-28T10:00:00.004Z'));
    const b = pollJobsForTick([{ id: 'world' }], new Date('2026-11-28T10:00:00.950Z'));
    expect(a[0].opts.jobId).toBe(b[0].opts.jobId);
    expect(a[0].data).toEqual({ feedId: 'world', tick: '2026-11-28T10:00:00.000Z' });
  });

  it('gives the next tick another job id, without the ":" BullMQ reserves', () => {
    const id1 = pollJobId('world', tickOf(new Date('2026-11-28T10:00:00Z')));
    const id2 = pollJobId('world', tickOf(new Date('2026-11-28T10:05:00Z')));
    expect(id1).not.toBe(id2);
    expect(id1).not.toContain(':');
  });

  it('groups feeds by their own schedule, falling back to the default', () => {
    const groups = groupBySchedule(
      [{ id: 'a' }, { id: 'b', schedule: '*/2 * * * *' }, { id: 'c' }],
      '*/5 * * * *',
    );
    expect([...groups].map(([expr, feeds]) => [expr, feeds.map((f) => f.id)])).toEqual([
      ['*/5 * * * *', ['a', 'c']],
      ['*/2 * * * *', ['b']],
    ]);
  });

  it("spreads a tick's polls evenly over the window, the first at once, in config order", () => {
    const jobs = pollJobsForTick(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
      new Date('2026-11-28T10:00:00Z'),
      60_000,
    );
    expect(jobs.map((j) => j.opts.delay)).toEqual([undefined, 15_000, 30_000, 45_000]);
    expect(
      pollJobsForTick([{ id: 'a' }, { id: 'b' }], new Date('2026-11-28T10:00:00Z')).map((j) => j.opts.delay),
    ).toEqual([undefined, undefined]);
  });

  it.each([
    {
      what: 'the configured spread when ticks are further apart',
      next: '2026-11-28T10:05:00Z',
      max: 60_000,
      want: 60_000,
    },
    { what: 'no further than the next tick', next: '2026-11-28T10:00:01Z', max: 60_000, want: 1_000 },
    { what: 'nothing when spreading is off', next: '2026-11-28T10:05:00Z', max: 0, want: 0 },
    { what: 'nothing when there is no next tick', next: null, max: 60_000, want: 0 },
  ])('spreads over $what', ({ next, max, want }) => {
    expect(spreadWindow(new Date('2026-11-28T10:00:00Z'), next === null ? null : new Date(next), max)).toBe(
      want,
    );
  });
});
