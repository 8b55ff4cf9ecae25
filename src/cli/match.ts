/** `mediawatch match`: try the configured watches on a text, or on JSON lines in bulk. */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { matchJsonLines } from '../match/jsonl.js';
import { CONFIG_OPTION, configPathOf } from './connect.js';

export async function matchCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTION, jsonl: { type: 'boolean', default: false } },
  });
  const { matcher } = loadConfigFile(configPathOf(values.config, env), env);
  if (values.jsonl) {
    await matchJsonLines(matcher, process.stdin, process.stdout);
    return 0;
  }
  const source = positionals[0] ?? '-';
  const text = source === '-' ? await readStdin() : fs.readFileSync(source, 'utf8');
  const found = matcher.match({ title: '', summary: '', content: text });
  if (found.length === 0) {
    console.log('no watch matches');
    return 0;
  }
  for (const w of found) {
    console.log(`${w.id} (${w.label}): ${w.matches.length} hit(s)`);
    for (const m of w.matches) console.log(`  ${m.term} @${m.start}-${m.end}: ${m.snippet}`);
  }
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
