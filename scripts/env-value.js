// Prints one variable as the app resolves it (src/config/app-config.ts): the real environment wins over .env.
const { existsSync, readFileSync } = require('node:fs');
const { parse } = require('dotenv');

const name = process.argv[2];
const fromFile = existsSync('.env') ? parse(readFileSync('.env')) : {};
process.stdout.write(process.env[name] ?? fromFile[name] ?? '');
