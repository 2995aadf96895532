#!/usr/bin/env node
// Compiles src/Predictive.Chain/Solidity/*.sol (and Chainlink's MockV3Aggregator) with solc-js (pinned in package.json) and copies the Uniswap V2 / WETH9
// build artifacts from npm, writing <out>/<Contract>.json = { "abi": [...], "bytecode": "0x..." } for each.
// Generated output, never edited by hand. Skips work when <out>/.sourcehash matches the hash of the inputs.
//
// Usage: node eng/chain/compile.js --out <directory>
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const here = __dirname;
const repoRoot = path.resolve(here, '..', '..');
const sourceDir = path.join(repoRoot, 'src', 'Predictive.Chain', 'Solidity');
const modules = path.join(here, 'node_modules');

const outIndex = process.argv.indexOf('--out');
if (outIndex < 0 || !process.argv[outIndex + 1]) {
  console.error('usage: node eng/chain/compile.js --out <directory>');
  process.exit(2);
}
const outDir = path.resolve(process.argv[outIndex + 1]);

// npm artifacts deployed unchanged: the router's pair init-code hash only matches the pair bytecode of v2-core 1.0.1.
const npmArtifacts = {
  UniswapV2Factory: '@uniswap/v2-core/build/UniswapV2Factory.json',
  UniswapV2Pair: '@uniswap/v2-core/build/UniswapV2Pair.json',
  UniswapV2Router02: '@uniswap/v2-periphery/build/UniswapV2Router02.json',
  WETH9: '@uniswap/v2-periphery/build/WETH9.json',
};

// npm Solidity sources compiled as they are: Chainlink's mock aggregator is the local chain's price feed.
const npmSources = ['@chainlink/contracts/src/v0.8/shared/mocks/MockV3Aggregator.sol'];

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

const solc = require(path.join(modules, 'solc'));
const sources = fs.readdirSync(sourceDir).filter(f => f.endsWith('.sol')).sort();

function inputHash() {
  const h = crypto.createHash('sha256');
  h.update(solc.version());
  h.update(JSON.stringify(settings));
  h.update(fs.readFileSync(__filename));
  for (const f of sources) { h.update(f); h.update(fs.readFileSync(path.join(sourceDir, f))); }
  for (const p of Object.values(npmArtifacts)) { h.update(fs.readFileSync(path.join(modules, p))); }
  for (const p of npmSources) { h.update(p); h.update(fs.readFileSync(path.join(modules, p))); }
  h.update(fs.readFileSync(path.join(modules, '@openzeppelin/contracts/package.json')));
  h.update(fs.readFileSync(path.join(modules, '@chainlink/contracts/package.json')));
  return h.digest('hex');
}

const hash = inputHash();
const stamp = path.join(outDir, '.sourcehash');
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) {
  console.log(`contracts up to date (${hash.slice(0, 12)}) in ${outDir}`);
  process.exit(0);
}

const input = { language: 'Solidity', sources: {}, settings };
for (const f of sources) input.sources[f] = { content: fs.readFileSync(path.join(sourceDir, f), 'utf8') };
for (const p of npmSources) input.sources[p] = { content: fs.readFileSync(path.join(modules, p), 'utf8') };

function findImports(importPath) {
  const candidates = [path.join(modules, importPath), path.join(sourceDir, importPath)];
  for (const c of candidates) {
    if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
  }
  return { error: `import not found: ${importPath}` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter(e => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
const write = (name, abi, bytecode) => {
  const code = bytecode.startsWith('0x') ? bytecode : '0x' + bytecode;
  fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify({ abi, bytecode: code }, null, 1));
};

for (const f of [...sources, ...npmSources]) {
  for (const [name, contract] of Object.entries(output.contracts[f] || {})) {
    if (contract.evm.bytecode.object.length > 0) write(name, contract.abi, contract.evm.bytecode.object);
  }
}
for (const [name, p] of Object.entries(npmArtifacts)) {
  const artifact = JSON.parse(fs.readFileSync(path.join(modules, p), 'utf8'));
  write(name, artifact.abi, artifact.bytecode);
}
fs.writeFileSync(stamp, hash);
console.log(`compiled ${sources.length} source(s) with solc ${solc.version()} into ${outDir}`);
