#!/usr/bin/env node
'use strict';
// `npm pack` / `npm publish` guard: the package must carry a native library
// and the licenses. Packing bindings/node itself would ship neither; the
// package is built by scripts/pack.js (npm run build-package), which stages
// a copy with both and packs that.

const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(__dirname, '..');
const prebuilds = path.join(dir, 'prebuilds');
const libs = fs.existsSync(prebuilds)
  ? fs.readdirSync(prebuilds).flatMap((p) => fs.readdirSync(path.join(prebuilds, p)).map((f) => `${p}/${f}`))
  : [];
const missing = ['LICENSE-MIT', 'LICENSE-APACHE'].filter((f) => !fs.existsSync(path.join(dir, f)));
if (libs.length === 0 || missing.length > 0) {
  const what = [libs.length === 0 ? `no native library in ${prebuilds}/<platform>-<arch>/` : null, ...missing.map((f) => `no ${f}`)]
    .filter(Boolean)
    .join(', ');
  console.error(
    `lambdasim: refusing to pack ${dir}: ${what}. Build the package with \`npm run build-package\` ` +
      '(scripts/pack.js: builds the library with cargo and packs a staged copy).',
  );
  process.exit(1);
}
console.error(`lambdasim: packing with ${libs.join(', ')}`);
