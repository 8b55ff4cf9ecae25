/** How far apart a cron schedule's ticks are: the gap between its next two runs, per expression. */
import cron from 'node-cron';

const known = new Map<string, number>();

export function cronIntervalMs(expr: string): number {
  const cached = known.get(expr);
  if (cached !== undefined) return cached;
  // A task that is never started: node-cron's own reading of the expression, no timer.
  const task = cron.createTask(expr, () => undefined);
  const [a, b] = task.getNextRuns(2);
  void task.destroy();
  const ms = a && b ? b.getTime() - a.getTime() : 60_000;
  known.set(expr, ms);
  return ms;
}
