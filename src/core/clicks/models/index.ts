export * from './config';
export * from './semantics';
export * from './trust-bias';
