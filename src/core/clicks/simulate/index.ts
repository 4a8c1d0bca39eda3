export * from './simulate';
export * from './summary';
export * from './tsv';
export { Sfc32 } from './prng';
export * from './drive';
