// Copies the Lua scripts into dist/, beside the compiled modules that read them: tsc emits only
// JavaScript. Run from the project root after tsc.
import fs from 'node:fs';

fs.cpSync('src', 'dist/src', {
  recursive: true,
  filter: (from) => from.endsWith('.lua') || fs.statSync(from).isDirectory(),
});
