// Build step (npm run build): validate the catalogue and the certificate role table and store
// them in dist/catalogue.json and dist/roles.json.
import { readFileSync } from 'node:fs';
import { targetShapes } from '../inventory/shapes.js';
import { writeCompiledRoles } from '../verify/cert/roles-compiled.js';
import { defaultRoleTablePath, parseRoleTableText } from '../verify/cert/roles.js';
import { writeCompiledCatalogue } from './compiled.js';
import { packageRoot } from './root.js';

const root = packageRoot();
const cat = writeCompiledCatalogue(root, { shapes: targetShapes });
process.stderr.write(`catalogue: ${cat.steps.length} steps, ${cat.snippets.size} snippets validated and compiled\n`);
const rolesFile = defaultRoleTablePath();
const rolesText = readFileSync(rolesFile, 'utf8');
const roles = parseRoleTableText(rolesText, rolesFile);
writeCompiledRoles(root, rolesText, roles);
process.stderr.write(`certificate roles: ${roles.length} validated and compiled\n`);
