// An independent Parquet implementation (hyparquet and hyparquet-writer, pure JavaScript) on the other side of
// ParquetInteropTests: `write OUT` writes a labelled corpus as Parquet in small row groups; `read IN` prints a Parquet
// file's rows as JSON Lines. Module folder: CLASSIFIER_PARQUET_JS (see .ci/run), found through NODE_PATH-free import.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.CLASSIFIER_PARQUET_JS;
const load = name => import(pathToFileURL(createRequire(path.join(modules, 'x.js')).resolve(name)).href);
const [mode, file] = process.argv.slice(2);

if (mode === 'write') {
  const { parquetWriteFile } = await load('hyparquet-writer');
  const topics = ['sport', 'business', 'health'];
  const words = {
    sport: 'the striker scored twice as the team won the derby in front of a full stadium',
    business: 'the central bank raised interest rates and shares fell on the stock exchange',
    health: 'the hospital opened a new ward where doctors treat patients with cancer',
  };
  const ids = [], texts = [], labels = [], counts = [], notes = [];
  for (let i = 0; i < 300; i++) {
    const label = topics[i % 3];
    ids.push(`js${i}`);
    texts.push(`${words[label]} report number ${i}`);
    labels.push(label);
    counts.push(i % 7 === 0 ? null : i);
    notes.push(i % 5 === 0 ? null : `note ${i}`);
  }
  await parquetWriteFile({
    filename: file,
    rowGroupSize: 64,
    columnData: [
      { name: 'id', data: ids, type: 'STRING' },
      { name: 'text', data: texts, type: 'STRING' },
      { name: 'label', data: labels, type: 'STRING' },
      { name: 'n', data: counts, type: 'INT32' },
      { name: 'note', data: notes, type: 'STRING' },
    ],
  });
} else if (mode === 'read') {
  const { asyncBufferFromFile, parquetReadObjects } = await load('hyparquet');
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
  for (const r of rows) process.stdout.write(JSON.stringify(r, (k, v) => typeof v === 'bigint' ? Number(v) : v) + '\n');
} else {
  console.error('usage: parquet-js.mjs write|read FILE');
  process.exit(2);
}
