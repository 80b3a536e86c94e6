// The plugin's entry point, what the mirror's wrapper runs (bundled by install.ts).
import { serve } from './provider.js';

serve().catch((e: Error) => {
  process.stderr.write(`offline provider: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
