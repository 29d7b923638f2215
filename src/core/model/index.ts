export { loadBackend, type Backend, type BackendChoice, type Tf } from './backend';
export { batchInputs, inputPlan, type InputPlan } from './inputs';
export * from './metrics';
export { loadModel, writeModelPackage, MANIFEST_FILE } from './package';
export { trainModel } from './train';
export * from './types';
