/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` one of them. Each prints a
 * table for people and one JSON line per result for tools. Baselines are measured in the same
 * run, because these machines are noisy.
 */
const BENCHES = ['fetch', 'match', 'pipeline', 'stories'] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(BENCHES as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : BENCHES) {
  console.log(`\n=== bench: ${name}`);
  const mod = (await import(`./${name}.js`)) as { run: () => Promise<void> };
  await mod.run();
}
