#!/usr/bin/env node
/** The `mediawatch` command: runs the service and the operator tools. See `mediawatch help`. */
import { main } from '../src/cli/main.js';
import { roleStarters } from '../workers/index.js';

process.exitCode = await main(process.argv.slice(2), process.env, { start: roleStarters });
