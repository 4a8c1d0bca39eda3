export * from './config';
export * from './semantics';
