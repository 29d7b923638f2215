export * from './types';
export { runTuning } from './tune';
export { searchSpaceProblems, applyParams } from './space';
