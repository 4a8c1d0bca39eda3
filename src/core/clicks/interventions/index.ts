export * from './config';
export * from './apply';
export * from './estimate';
