import { describe, expect, it } from 'vitest';
import { AdmissionTurns } from '../../../src/server/limits/admission-turns.js';

/** A count the test answers by hand, recording when it was asked. */
function manualCounts() {
  const asked: { resolve: (n: number) => void; reject: (error: Error) => void }[] = [];
  const count = () =>
    new Promise<number>((resolve, reject) => {
      asked.push({ resolve, reject });
    });
  return { asked, count };
}
const turnOf = async (turns: AdmissionTurns, count: () => Promise<number>) => turns.join('tenant', count);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AdmissionTurns', () => {
  it('counts once for every start that arrived while the turn before was open', async () => {
    const turns = new AdmissionTurns();
    const { asked, count } = manualCounts();
    const first = turnOf(turns, count);
    await tick();
    expect(asked).toHaveLength(1);
    asked[0]!.resolve(3);
    const one = await first;
    expect(one.turn.running).toBe(3);

    const burst = Array.from({ length: 5 }, () => turnOf(turns, count));
    await tick();
    // The first turn is still open (its start has no row yet): nobody counts.
    expect(asked).toHaveLength(1);
    one.leave();
    await tick();
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(4);
    const tickets = await Promise.all(burst);
    expect(new Set(tickets.map((ticket) => ticket.turn)).size).toBe(1);
    expect(tickets[0]!.turn.running).toBe(4);

    // The turn ends only when every start of it left; then the next one counts.
    const later = turnOf(turns, count);
    for (const ticket of tickets.slice(1)) ticket.leave();
    tickets[1]!.leave(); // leaving twice is harmless
    await tick();
    expect(asked).toHaveLength(2);
    tickets[0]!.leave();
    await tick();
    expect(asked).toHaveLength(3);
    asked[2]!.resolve(0);
    (await later).leave();
  });

  it('a failed count rejects every start of its turn, and the next turn counts again', async () => {
    const turns = new AdmissionTurns();
    const { asked, count } = manualCounts();
    const first = turnOf(turns, count);
    await tick();
    asked[0]!.resolve(0);
    const holder = await first;
    const failing = [turnOf(turns, count), turnOf(turns, count)];
    holder.leave();
    await tick();
    asked[1]!.reject(new Error('store down'));
    for (const attempt of failing) await expect(attempt).rejects.toThrow('store down');
    const next = turnOf(turns, count);
    await tick();
    expect(asked).toHaveLength(3);
    asked[2]!.resolve(1);
    expect((await next).turn.running).toBe(1);
  });

  it('keeps tenants apart', async () => {
    const turns = new AdmissionTurns();
    const { asked, count } = manualCounts();
    const a = turns.join('a', count);
    const b = turns.join('b', count);
    await tick();
    expect(asked).toHaveLength(2);
    asked[0]!.resolve(1);
    asked[1]!.resolve(2);
    expect([(await a).turn.running, (await b).turn.running]).toEqual([1, 2]);
  });
});
