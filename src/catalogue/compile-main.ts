// Build step (npm run build): validate the catalogue and store it in dist/catalogue.json.
import { targetShapes } from '../inventory/shapes.js';
import { writeCompiledCatalogue } from './compiled.js';
import { packageRoot } from './root.js';

const cat = writeCompiledCatalogue(packageRoot(), { shapes: targetShapes });
process.stderr.write(`catalogue: ${cat.steps.length} steps, ${cat.snippets.size} snippets validated and compiled\n`);
