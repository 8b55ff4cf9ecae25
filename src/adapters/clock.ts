/** The one place that reads the wall clock; everything else takes a Clock so tests can set time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
