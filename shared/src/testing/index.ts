export * from './eventually';
export * from './serviceEndpoints';
export * from './testStack';
export * from './stackProvisioning';
export * from './tcpProxy';
export * from './userCsv';
export * from './bucketTruth';
export * from './serviceProcess';
