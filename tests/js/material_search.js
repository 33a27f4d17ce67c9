// Runs Material for MkDocs' own search worker (the file the site ships) under
// Node, against a built search_index.json, and prints the ranked locations for
// each query as JSON: {"query": [[first group...], [second group...], ...]}.
// Usage: node material_search.js WORKER.js search_index.json QUERY...
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, ...queries] = process.argv.slice(2);
const listeners = [];
const replies = [];
const sandbox = { console, setTimeout, clearTimeout };
sandbox.self = sandbox;
sandbox.addEventListener = (_type, listener) => listeners.push(listener);
sandbox.postMessage = (message) => replies.push(message);
sandbox.importScripts = (...urls) => {
  throw new Error(`the worker asked for extra scripts (${urls}); only English search is supported here`);
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(workerPath, "utf8"), sandbox);

// Message types of Material's search worker: 0 setup, 1 ready, 2 query, 3 result.
const send = async (type, data) => {
  for (const listener of listeners) await listener({ data: { type, data } });
};

(async () => {
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  // The page adds these options before handing the index to the worker.
  await send(0, { ...index, options: { suggest: true } });
  const ranked = {};
  for (const query of queries) {
    replies.length = 0;
    await send(2, query);
    const result = replies.find((m) => m.type === 3);
    if (!result) throw new Error(`no result for query ${JSON.stringify(query)}`);
    ranked[query] = result.data.items.map((group) => group.map((doc) => doc.location));
  }
  process.stdout.write(JSON.stringify(ranked));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
