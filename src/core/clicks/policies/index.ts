export * from './policy';
export * from './production';
export * from './run';
export * from './config';
