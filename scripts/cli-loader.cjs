#!/usr/bin/env node
'use strict';
// The bundled `synapse` CLI's loader: scripts/build-cli.mjs copies it to dist/cli-bundle/synapse.js.
// The chunks next to it (main.js and what it loads) are CommonJS function bodies (their import()
// calls are require() calls, a vm.Script has no ES module loader); this compiles
// each with `vm.Script` and, when there is one, the V8 code cache that the build wrote next to it
// (`<chunk>.v8cache`), so a start deserializes bytecode instead of parsing and compiling ~3 MB of
// JavaScript (Node 20 has no module compile cache). A cache is used only for the exact chunk it
// was made from (size and mtime, else the SHA-1 of the content) and only if V8 accepts it
// (same V8 version and flags); otherwise the chunk compiles as it would without one.
//   SYNAPSE_CODE_CACHE=off    compile without the cache
//   SYNAPSE_CODE_CACHE=write  (the build's training start) write each loaded chunk's cache on SIGUSR2
//   SYNAPSE_CODE_CACHE=report say on stderr, per chunk, whether its cache was used
// See docs/performance.md, "Cold start".
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const { isAscii } = require('node:buffer');

const mode = process.env.SYNAPSE_CODE_CACHE;
const baseRequire = createRequire(__filename);
/** @type {Map<string, { exports: unknown }>} */
const modules = new Map();
/** @type {{ file: string; script: vm.Script; header: object }[]} */
const compiled = [];

function sha1(buffer) {
  return require('node:crypto').createHash('sha1').update(buffer).digest('hex');
}

/** The cache made from exactly this chunk, or undefined. */
function readCache(file, buffer, stat) {
  let data;
  try {
    data = fs.readFileSync(`${file}.v8cache`);
  } catch {
    return undefined;
  }
  try {
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength));
    const same = header.size === stat.size && (header.mtimeMs === stat.mtimeMs || header.sha1 === sha1(buffer));
    return same ? data.subarray(4 + headerLength) : undefined;
  } catch {
    return undefined;
  }
}

function writeCaches() {
  for (const { file, script, header } of compiled) {
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length, 0);
    const temporary = `${file}.v8cache.${process.pid}`;
    fs.writeFileSync(temporary, Buffer.concat([length, json, script.createCachedData()]));
    fs.renameSync(temporary, `${file}.v8cache`);
  }
}

function requireFrom(id) {
  // The chunks require each other as "./chunk-….js"; everything else (node: built-ins,
  // better-sqlite3, lazily required packages) resolves as from this folder.
  return id.startsWith('./') ? load(path.join(__dirname, id)) : baseRequire(id);
}
requireFrom.resolve = baseRequire.resolve;
requireFrom.cache = baseRequire.cache;

function load(file) {
  const loaded = modules.get(file);
  if (loaded) return loaded.exports;
  const module = { exports: {}, id: file, filename: file, loaded: false };
  modules.set(file, module);
  const buffer = fs.readFileSync(file);
  const stat = fs.statSync(file);
  const cachedData = mode === 'off' || mode === 'write' ? undefined : readCache(file, buffer, stat);
  // The build writes pure ASCII, which reads fastest as latin1 (no UTF-8 decoding).
  const source = isAscii(buffer) ? buffer.latin1Slice(0, buffer.length) : buffer.toString('utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (mode === 'report') {
    const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
    process.stderr.write(`synapse code cache: ${path.basename(file)} ${state}\n`);
  }
  if (mode === 'write')
    compiled.push({ file, script, header: { size: stat.size, mtimeMs: stat.mtimeMs, sha1: sha1(buffer) } });
  script.runInThisContext().call(module.exports, module.exports, requireFrom, module, file, __dirname);
  module.loaded = true;
  return module.exports;
}

// The training start ends with SIGUSR2 once ready: the caches hold what a start runs, not the
// shutdown.
if (mode === 'write') {
  process.once('SIGUSR2', () => {
    writeCaches();
    process.exit(0);
  });
}
load(path.join(__dirname, 'main.js'));
