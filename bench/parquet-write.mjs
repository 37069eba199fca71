// Writes JSON Lines from stdin ({"label": ..., "text": ...} per line) as a Parquet file of string columns, for the
// Parquet benchmarks (bench/parquet.sh), with hyparquet-writer, an implementation independent of the tool's.
//   node bench/parquet-write.mjs OUT.parquet ROWS_PER_GROUP < rows.jsonl
// Needs CLASSIFIER_PARQUET_JS: the node_modules folder holding hyparquet-writer (.ci/run installs it).
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const modules = process.env.CLASSIFIER_PARQUET_JS;
const { parquetWriteFile } = await import(pathToFileURL(createRequire(path.join(modules, 'x.js')).resolve('hyparquet-writer')).href);
const [out, groupRows] = process.argv.slice(2);
const columns = new Map();
for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line) continue;
  const row = JSON.parse(line);
  for (const [k, v] of Object.entries(row)) {
    if (!columns.has(k)) columns.set(k, []);
    columns.get(k).push(v);
  }
}
await parquetWriteFile({
  filename: out,
  rowGroupSize: Number(groupRows),
  columnData: [...columns].map(([name, data]) => ({ name, data, type: 'STRING' })),
});
