// The lab's AXL simulator: the public entry point for `collabsec lab` and the tests.
export { startAxlSimulator, type AxlSimulator, type AxlSimulatorOptions, type AxlFaultMode, type AxlRequestLog } from './server.js';
export { AxlState, type AxlEvent, type StoredObject } from './state.js';
export { AXL_OBJECTS, resolveOperation, type AxlObjectType, type AxlVerb } from './objects.js';
export { seedAxl, seedPhones } from './seed.js';
