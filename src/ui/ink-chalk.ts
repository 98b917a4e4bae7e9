// ink's own chalk when ink is bundled into the program (scripts/bundle.ts replaces this module
// with a re-export of the very chalk module ink's bundled code uses); undefined when ink is loaded
// from node_modules, where src/ui/ink-colour.ts finds ink's chalk beside ink.
export const bundledInkChalk: { level: number } | undefined = undefined;
