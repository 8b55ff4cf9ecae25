// Copies the Lua scripts, and the web console's page and style sheet, into dist/, beside the
// compiled modules that read or load them: tsc emits only JavaScript. Run from the project root after tsc.
import fs from 'node:fs';

fs.cpSync('src', 'dist/src', {
  recursive: true,
  filter: (from) => /\.lua$|console\/assets\/.*\.(html|css)$/.test(from) || fs.statSync(from).isDirectory(),
});
