import { readFileSync } from 'node:fs';
import { moduleDirs, tfFiles } from '../../../scripts/tf-files.mjs';

export * from './tf.js';

/** The raw text of every .tf file of the repository. */
export function tfFilesText(): Array<{ file: string; text: string }> {
  return moduleDirs().flatMap((dir) => tfFiles(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') })));
}
