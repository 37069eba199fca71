// Prints chosen columns of a Parquet file as CSV-like lines (fields joined by ','; no quoting: for ids, labels and
// scores), reading it with hyparquet, an implementation independent of the tool's. For bench/parquet.sh.
//   node bench/parquet-read.mjs IN.parquet id,label,score
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.CLASSIFIER_PARQUET_JS;
const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import(pathToFileURL(createRequire(path.join(modules, 'x.js')).resolve('hyparquet')).href);
const [file, cols] = process.argv.slice(2);
const columns = cols.split(',');
const buffer = await asyncBufferFromFile(file);
const metadata = await parquetMetadataAsync(buffer);
let start = 0;
for (const group of metadata.row_groups) {
  const end = start + Number(group.num_rows);
  const rows = await parquetReadObjects({ file: buffer, metadata, columns, rowStart: start, rowEnd: end });
  let text = '';
  for (const r of rows) text += columns.map(c => r[c] === null || r[c] === undefined ? '' : String(r[c])).join(',') + '\n';
  process.stdout.write(text);
  start = end;
}
