// Preload (--import): as the process exits, writes the size of V8's young generation (its new
// space, both semi-spaces) in bytes to $NEW_SPACE_FILE (src/young-generation.ts holds it).
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

process.on('exit', () => {
  const { space_size } = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  writeFileSync(process.env.NEW_SPACE_FILE, String(space_size));
});
