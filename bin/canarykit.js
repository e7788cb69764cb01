#!/usr/bin/env node
'use strict';
process.exitCode = require('../lib/src/cli/main').run(process.argv.slice(2));
